// Rate limits, end to end against a real server: sends, typing, chat and group creation,
// connections per person and per address, sign-up per address, sign-in failures with growing
// waits, abusive sockets cut off, admins changing limits, and the browser client's outbox
// waiting out RATE_LIMITED. Each test first sets, as an admin, the limits it is about; every
// other limit is raised out of the way (GENEROUS_LIMITS).

import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { writeSettings } from '../../db';
import { requestOver, type Request } from '../../hooks/client/transport';
import { DEFAULT_SETTINGS, type Settings } from '../../protocol';
import {
  call,
  cookieFrom,
  nextEvent,
  PASSWORD,
  postJson,
  signUp,
  uniqueName,
  type Account,
  type TestSocket,
} from '../helpers/client';
import { createTestDatabase, seedAdmin, withDatabase } from '../helpers/database';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { startServer } from '../helpers/server';
import { appClient, pair, person, type Person, type Suite } from '../helpers/suite';

const suite = { sockets: [] } as unknown as Suite;
const ADMIN = uniqueName('root');
let admin: Account;

beforeAll(async () => {
  suite.database = await createTestDatabase();
  await withDatabase(suite.database.serverOptions, (db) => writeSettings(db, GENEROUS_LIMITS));
  await seedAdmin(suite.database.serverOptions, ADMIN, PASSWORD);
  suite.server = await startServer(suite.database.serverOptions);
  const signedIn = await postJson(suite.server.url, '/api/auth/sign-in', {
    username: ADMIN,
    password: PASSWORD,
  });
  expect(signedIn.status).toBe(200);
  admin = { user: signedIn.body.user as Account['user'], cookie: cookieFrom(signedIn.setCookie) };
});

afterAll(async () => {
  for (const socket of suite.sockets) socket.close();
  await suite.server?.stop();
  await suite.database?.drop();
});

/** What an admin does on /admin: these limits, everything else out of the way. */
async function setLimits(limits: Partial<Settings>): Promise<Settings> {
  const response = await fetch(`${suite.server.url}/api/admin/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: admin.cookie },
    body: JSON.stringify({ ...GENEROUS_LIMITS, ...limits }),
  });
  const body = (await response.json()) as { ok: boolean; settings: Settings };
  expect(response.status).toBe(200);
  return body.settings;
}

const queues = new WeakMap<TestSocket, Request>();

/**
 * Requests as the app's clients send them: at most EVENTS_IN_FLIGHT_PER_SOCKET unanswered at
 * once, the rest queued, so that these tests meet the limit they are about and not that one.
 */
function queued(socket: TestSocket): Request {
  let request = queues.get(socket);
  if (!request) queues.set(socket, (request = requestOver(socket)));
  return request;
}

function sendRaw(socket: TestSocket, conversationId: string, body: string) {
  return queued(socket)('message:send', { conversationId, clientMsgId: randomUUID(), body });
}

async function storedBodies(reader: Person, conversationId: string): Promise<string[]> {
  const page = await call(reader.socket, 'message:history', { conversationId, limit: 100 });
  if (!page.ok) throw new Error(page.message);
  return page.messages.map((message) => message.body);
}

/** A socket from a given loopback address; resolves when connected, rejects on connect_error. */
function openSocket(
  account: Pick<Account, 'cookie'>,
  localAddress = '127.0.0.1',
): Promise<TestSocket> {
  const socket: TestSocket = io(suite.server.url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie: account.cookie },
    // Passed on to the WebSocket (ws); not in socket.io-client's types.
    ...({ localAddress } as object),
  });
  return new Promise((resolve, reject) => {
    socket.once('session:ready', () => {
      suite.sockets.push(socket);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

describe('message sends', () => {
  it('let a burst of 30 through at the default limits', async () => {
    await setLimits({
      messagesPerSecond: DEFAULT_SETTINGS.messagesPerSecond,
      messageBurst: DEFAULT_SETTINGS.messageBurst,
    });
    const { alice, bob, conversationId } = await pair(suite);
    const acks = await Promise.all(
      Array.from({ length: 30 }, (_, index) => sendRaw(alice.socket, conversationId, `b${index}`)),
    );
    expect(acks.filter((ack) => !ack.ok)).toEqual([]);
    expect(await storedBodies(bob, conversationId)).toHaveLength(30);
  });

  it('refuse a flood beyond rate and burst with RATE_LIMITED, store none of it, and leave others alone', async () => {
    await setLimits({ messagesPerSecond: 5, messageBurst: 5 });
    const { alice, bob, conversationId } = await pair(suite);
    const other = await pair(suite);
    const [flood, othersAcks] = await Promise.all([
      Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          sendRaw(alice.socket, conversationId, `f${index}`),
        ),
      ),
      Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          sendRaw(other.alice.socket, other.conversationId, `o${index}`),
        ),
      ),
    ]);
    const refused = flood.filter((ack) => !ack.ok);
    expect(flood.filter((ack) => ack.ok)).toHaveLength(10); // 5 a second + a burst of 5
    expect(refused).toHaveLength(20);
    for (const ack of refused) {
      expect(ack).toMatchObject({
        ok: false,
        code: 'RATE_LIMITED',
        message: 'You are sending messages too fast. Try again in 1 second.',
      });
      const retryAfterMs = (ack as { retryAfterMs?: number }).retryAfterMs;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(1_000);
    }
    expect(await storedBodies(bob, conversationId)).toHaveLength(10);
    expect(othersAcks.every((ack) => ack.ok)).toBe(true);
    expect(await storedBodies(other.bob, other.conversationId)).toHaveLength(5);
  });

  it('are retried by the client after retryAfterMs: nothing is dropped, and the order holds', async () => {
    await setLimits({ messagesPerSecond: 2, messageBurst: 0 });
    const { alice, bob, conversationId } = await pair(suite);
    const client = appClient(suite, alice);
    let wasPaused = false;
    const drained = new Promise<void>((resolve) => {
      client.subscribe(() => {
        const state = client.getState();
        if (state.sendingPausedUntil !== null) wasPaused = true;
        if (state.connection === 'online' && state.pending.length === 0 && wasPaused) resolve();
      });
    });
    await client.start();
    const bodies = Array.from({ length: 6 }, (_, index) => `queued ${index + 1}`);
    for (const body of bodies) expect(client.sendMessage(conversationId, body).ok).toBe(true);
    await drained;
    expect(client.getState().pending.filter((item) => item.status === 'failed')).toEqual([]);
    expect(await storedBodies(bob, conversationId)).toEqual(bodies);
    client.stop();
  });
});

describe('typing', () => {
  it('refuses updates beyond the limit and relays none of them', async () => {
    await setLimits({ typingPerMinute: 5 });
    const { alice, bob, conversationId } = await pair(suite);
    let relayed = 0;
    bob.socket.on('typing:updated', () => (relayed += 1));
    // "stopped" every time: each one let through is relayed, in whatever order their handlers
    // finish (a "typing" finished after a later "stopped" is not), and the send below has no
    // "typing" to end.
    const acks = await Promise.all(
      Array.from({ length: 8 }, () => queued(alice.socket)('typing:stop', { conversationId })),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(5);
    expect(acks.filter((ack) => !ack.ok)).toEqual(
      Array.from({ length: 3 }, () =>
        expect.objectContaining({ code: 'RATE_LIMITED', message: expect.stringMatching(/typing/) }),
      ),
    );
    // Pushes to Bob keep their order: once this message is there, every relayed update is too.
    const marker = nextEvent(bob.socket, 'message:created');
    await sendRaw(alice.socket, conversationId, 'after typing');
    await marker;
    expect(relayed).toBe(5);
  });
});

describe('searching', () => {
  it('refuses searches beyond the limit per minute, for that person only', async () => {
    await setLimits({ searchesPerMinute: 3 });
    const alice = await person(suite, 'alice');
    const bob = await person(suite, 'bob');
    const results = [];
    for (const query of ['one', 'two', 'three', 'four']) {
      results.push(await call(alice.socket, 'message:search', { query }));
    }
    expect(results.slice(0, 3).every((result) => result.ok)).toBe(true);
    expect(results[3]).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
      message: expect.stringMatching(
        /^You are searching too often\. Try again in (\d+ seconds?|1 minute)\.$/,
      ),
    });
    expect(await call(bob.socket, 'message:search', { query: 'one' })).toMatchObject({ ok: true });
  });
});

describe('starting chats and groups', () => {
  it('refuses chats started beyond the hourly limit', async () => {
    await setLimits({ conversationsPerHour: 3 });
    const alice = await person(suite, 'alice');
    const others = await Promise.all(Array.from({ length: 5 }, () => signUp(suite.server.url)));
    const results = [];
    for (const other of others) {
      results.push(
        await call(alice.socket, 'conversation:start', { username: other.user.username }),
      );
    }
    expect(results.slice(0, 3).every((result) => result.ok)).toBe(true);
    for (const result of results.slice(3)) {
      expect(result).toMatchObject({
        ok: false,
        code: 'RATE_LIMITED',
        message: 'You have started or joined too many chats. Try again in 60 minutes.',
      });
      expect((result as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(59 * 60_000);
    }
    const list = await call(alice.socket, 'conversation:list', {});
    expect(list.ok && list.conversations).toHaveLength(3);
  });

  it('refuses groups created beyond the hourly limit', async () => {
    await setLimits({ groupsPerHour: 2 });
    const alice = await person(suite, 'alice');
    const bob = await signUp(suite.server.url, 'bob');
    const results = await Promise.all(
      ['One', 'Two', 'Three', 'Four'].map((title) =>
        call(alice.socket, 'group:create', {
          title,
          usernames: [bob.user.username],
          clientRequestId: randomUUID(),
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(2);
    expect(results.filter((result) => !result.ok)).toEqual([
      expect.objectContaining({ code: 'RATE_LIMITED', message: expect.stringMatching(/groups/) }),
      expect.objectContaining({ code: 'RATE_LIMITED' }),
    ]);
    const list = await call(alice.socket, 'conversation:list', {});
    expect(list.ok && list.conversations.filter((item) => item.kind === 'group')).toHaveLength(2);
  });
});

describe('connections', () => {
  it('are limited per person, with a clear connect_error, and a place comes back on disconnect', async () => {
    await setLimits({ socketsPerUser: 3 });
    const first = await signUp(suite.server.url, 'tabs');
    const again = await postJson(suite.server.url, '/api/auth/sign-in', {
      username: first.user.username,
      password: PASSWORD,
    });
    const second = { cookie: cookieFrom(again.setCookie) };
    await openSocket(first);
    await openSocket(first);
    await openSocket(second);
    const refused = await openSocket(second).then(
      () => null,
      (error: Error & { data?: unknown }) => error,
    );
    expect(refused?.message).toBe(
      'Too many connections for your account: at most 3 at once. Close a tab or another device, then try again.',
    );
    expect(refused?.data).toMatchObject({
      code: 'RATE_LIMITED',
      message: refused?.message,
      retryAfterMs: expect.any(Number),
    });
    // Signing out the first session closes its two sockets (on the server, before it answers).
    await postJson(suite.server.url, '/api/auth/sign-out', {}, { cookie: first.cookie });
    await expect(openSocket(second)).resolves.toBeDefined();
  });

  it('are limited per address', async () => {
    await setLimits({ socketsPerIp: 2 });
    const people = await Promise.all(Array.from({ length: 3 }, () => signUp(suite.server.url)));
    await openSocket(people[0]!, '127.0.0.77');
    await openSocket(people[1]!, '127.0.0.77');
    await expect(openSocket(people[2]!, '127.0.0.77')).rejects.toMatchObject({
      message: 'Too many connections from your network: at most 2 at once. Try again later.',
      data: { code: 'RATE_LIMITED' },
    });
    // The same person from another address is welcome.
    await expect(openSocket(people[2]!, '127.0.0.78')).resolves.toBeDefined();
  });
});

describe('sign-up', () => {
  it('answers 429 with Retry-After beyond the limit per address, and creates nobody', async () => {
    await setLimits({ signUpsPerIpPerHour: 2 });
    await signUp(suite.server.url);
    await signUp(suite.server.url);
    const username = uniqueName('third');
    const response = await fetch(`${suite.server.url}/api/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(59 * 60);
    expect(response.headers.get('set-cookie')).toBeNull();
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'Too many sign-ups from your network. Try again in 60 minutes.',
      retryAfterMs: expect.any(Number),
    });
    await setLimits({});
    const signIn = await postJson(suite.server.url, '/api/auth/sign-in', {
      username,
      password: PASSWORD,
    });
    expect(signIn.status).toBe(401);
  });
});

describe('sign-in', () => {
  const attempt = async (username: string, password: string) => {
    const response = await fetch(`${suite.server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown> & { retryAfterMs?: number },
    };
  };
  /**
   * The wait the server named, passed on the clock the limiter reads (rate-limiter-flexible
   * counts time with Date.now()): the block under test ends then, without sleeping.
   */
  const waitOut = (ms: number) => vi.setSystemTime(Date.now() + ms + 50);

  it('makes each failure in a row wait longer, alike for unknown users and wrong passwords', async () => {
    // Only Date is faked, and it stands still until waitOut moves it; timers run as ever.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    await setLimits({ signInFailuresBeforeDelay: 2 });
    const victim = await signUp(suite.server.url, 'victim');
    const known = victim.user.username;
    const unknown = uniqueName('ghost');

    const free = [await attempt(known, 'wrong password 1'), await attempt(unknown, 'whatever 1')];
    for (const result of free) expect(result.status).toBe(401);
    expect(free[1]!.body).toEqual(free[0]!.body);

    // The second failure in a row starts the waits: 1 s, for both.
    await attempt(known, 'wrong password 2');
    await attempt(unknown, 'whatever 2');
    const waits = [await attempt(known, PASSWORD), await attempt(unknown, PASSWORD)];
    for (const result of waits) {
      expect(result.status).toBe(429);
      expect(result.retryAfter).toBe('1');
      expect(result.body).toEqual({
        ok: false,
        code: 'RATE_LIMITED',
        message: 'Too many failed sign-ins. Try again in 1 second.',
        retryAfterMs: expect.any(Number),
      });
      expect(result.body.retryAfterMs).toBeLessThanOrEqual(1_000);
    }

    // After the wait, the next failure waits twice as long.
    waitOut(waits[0]!.body.retryAfterMs!);
    expect((await attempt(known, 'wrong password 3')).status).toBe(401);
    const longer = await attempt(known, PASSWORD);
    expect(longer.status).toBe(429);
    expect(longer.retryAfter).toBe('2');
    expect(longer.body.retryAfterMs).toBeGreaterThan(1_000);
    expect(longer.body.retryAfterMs).toBeLessThanOrEqual(2_000);

    // The right password after the wait signs in, and clears the failures.
    waitOut(longer.body.retryAfterMs!);
    expect((await attempt(known, PASSWORD)).status).toBe(200);
    expect((await attempt(known, 'wrong password 4')).status).toBe(401);
    expect((await attempt(known, 'wrong password 5')).status).toBe(401);
  });

  it('refuses an address that failed too often this hour, for every account', async () => {
    await setLimits({ signInFailuresPerIpPerHour: 3 });
    const someone = await signUp(suite.server.url, 'someone');
    for (const name of ['a', 'b', 'c']) {
      expect((await attempt(uniqueName(name), 'guess')).status).toBe(401);
    }
    const refused = await attempt(someone.user.username, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Too many failed sign-ins. Try again in 60 minutes.',
    });
    await setLimits({});
    expect((await attempt(someone.user.username, PASSWORD)).status).toBe(200);
  });
});

describe('abuse and operations', () => {
  it('disconnects a socket that keeps sending while limited, and logs and counts it, throttled and without bodies', async () => {
    await setLimits({ messagesPerSecond: 1, messageBurst: 0 });
    const { alice, conversationId } = await pair(suite);
    const disconnected = new Promise<string>((resolve) => alice.socket.once('disconnect', resolve));
    for (let index = 0; index < 200; index++) {
      alice.socket.emit(
        'message:send',
        { conversationId, clientMsgId: randomUUID(), body: `secret flood ${index}` },
        () => undefined,
      );
    }
    expect(await disconnected).toBe('io server disconnect');
    const logged = await suite.server.waitForLog(
      (entry) => entry.event === 'rate-limit.abuse-disconnect' && entry.userId === alice.user.id,
    );
    // One line for the socket, with what it was refused: beyond its 4 events in flight, or
    // over the message limit.
    expect(logged).toMatchObject({ refused: expect.any(Number), limiters: expect.any(Object) });
    expect(logged.refused).toBeGreaterThanOrEqual(50);
    expect(
      suite.server.logs.filter(
        (entry) => entry.event === 'rate-limit.abuse-disconnect' && entry.userId === alice.user.id,
      ),
    ).toHaveLength(1);
    const hits = suite.server.logs.filter(
      (entry) => entry.event === 'rate-limit.hit' && entry.userId === alice.user.id,
    );
    // One line per person and limiter per 10 s, whatever the flood: the message limit, and the
    // events beyond the 4 in flight on the socket.
    expect(hits.map((hit) => hit.limiter).sort()).toEqual(['in-flight', 'message']);
    expect(hits[0]).toMatchObject({ retryAfterMs: expect.any(Number) });
    expect(JSON.stringify(suite.server.logs)).not.toContain('secret flood');

    const metrics = await (await fetch(`${suite.server.url}/metrics`)).text();
    expect(metrics).toMatch(/^parley_rate_limited_total\{[^}]*limiter="message"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^parley_rate_limit_disconnects_total\{[^}]*\} [1-9]/m);
  });

  it('applies a limit an admin changes at once, without a restart, and refuses invalid ones', async () => {
    await setLimits({ messagesPerSecond: 1, messageBurst: 0 });
    const { alice, conversationId } = await pair(suite);
    expect(await sendRaw(alice.socket, conversationId, 'one')).toMatchObject({ ok: true });
    expect(await sendRaw(alice.socket, conversationId, 'two')).toMatchObject({
      code: 'RATE_LIMITED',
    });
    const changed = await setLimits({ messagesPerSecond: 100, messageBurst: 0 });
    expect(changed.messagesPerSecond).toBe(100);
    expect(await sendRaw(alice.socket, conversationId, 'two')).toMatchObject({ ok: true });

    const invalid = await fetch(`${suite.server.url}/api/admin/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ messagesPerSecond: 0 }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Messages per second must be at least 1.',
      field: 'messagesPerSecond',
    });
  });
});
