// One real server per test file, built in-process on a fresh database of the kind the project
// selects (PARLEY_TEST_DB), plus helpers that the messaging suites share.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { ChatClient, type ChatClientOptions } from '../../hooks/chat-client';
import { MemoryDeviceStore } from '../../hooks/device-store';
import { call, connect, signUp, type Account, type Connected } from './client';
import { writeSettings } from '../../db';
import { createTestDatabase, type TestDatabase } from './database';
import { SUITE_BASELINE } from './rate-limits';
import { startServer, type TestServer } from './server';
import type { Clock } from '../../server/clock';
import type { Failpoints } from '../../server/failpoints';

export interface Suite {
  server: TestServer;
  database: TestDatabase;
  sockets: Connected['socket'][];
}

/**
 * Registers beforeAll/afterAll hooks; the returned object is filled in before tests run.
 * `settings` are stored before the server starts, as an admin would have set them, over
 * SUITE_BASELINE (people sign up from one address).
 */
export function setupSuite(
  options: {
    settings?: Record<string, unknown>;
    env?: Record<string, string>;
    failpoints?: Failpoints;
    /** The server's time, for tests of windows (edit, delete) that move it. */
    clock?: Clock;
  } = {},
): Suite {
  const suite = { sockets: [] } as unknown as Suite;
  beforeAll(async () => {
    suite.database = await createTestDatabase();
    const settings = { ...SUITE_BASELINE, ...options.settings };
    suite.server = await startServer({
      ...suite.database.serverOptions,
      ...(options.env ? { env: options.env } : {}),
      ...(options.failpoints ? { failpoints: options.failpoints } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      seed: (db) => writeSettings(db, settings),
    });
  });
  afterAll(async () => {
    for (const socket of suite.sockets) socket.close();
    await suite.server?.stop();
    await suite.database?.drop();
  });
  return suite;
}

export interface Person extends Account, Connected {}

/** Signs up a user and opens one socket (one "tab") for them. */
export async function person(suite: Suite, base: string): Promise<Person> {
  const account = await signUp(suite.server.url, base);
  const connected = await openTab(suite, account);
  return { ...account, ...connected };
}

/** Another socket for the same account: a second tab or device. */
export async function openTab(suite: Suite, account: Account): Promise<Connected> {
  const connected = await connect(suite.server.url, account);
  suite.sockets.push(connected.socket);
  return connected;
}

/** Alice and Bob with a direct conversation between them. */
export async function pair(
  suite: Suite,
): Promise<{ alice: Person; bob: Person; conversationId: string }> {
  const alice = await person(suite, 'alice');
  const bob = await person(suite, 'bob');
  const started = await call(alice.socket, 'conversation:start', { username: bob.user.username });
  if (!started.ok) throw new Error(started.message);
  return { alice, bob, conversationId: started.conversation.id };
}

export async function send(sender: Person, conversationId: string, body: string) {
  const ack = await call(sender.socket, 'message:send', {
    conversationId,
    clientMsgId: randomUUID(),
    body,
  });
  if (!ack.ok) throw new Error(`send failed: ${ack.code} ${ack.message}`);
  return ack.message;
}

/**
 * The app's own client for `who`, in this process, on the suite's server over a websocket, with
 * a device store in memory unless `options` say otherwise. Start it, and stop it after.
 */
export function appClient(suite: Suite, who: Person, options: ChatClientOptions = {}): ChatClient {
  return new ChatClient(who.user, {
    url: suite.server.url,
    store: new MemoryDeviceStore(),
    socketOptions: { transports: ['websocket'], extraHeaders: { cookie: who.cookie } },
    ...options,
  });
}
