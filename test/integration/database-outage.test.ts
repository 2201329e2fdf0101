// While the database cannot be reached, commands are answered at once with UNAVAILABLE and a
// retryAfterMs, never with INTERNAL or silence; once it is back, the retry with the same
// clientMsgId is stored. The server reaches PostgreSQL through a proxy the test can cut.

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/client';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database';
import { startServer, type TestServer } from '../helpers/server';
import { pair } from '../helpers/suite';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

/** The connect timeout of the pool (db/client.ts) plus the time to answer. */
const ANSWER_BOUND_MS = 8_000;

let database: TestDatabase;
let proxy: TcpProxy;
let server: TestServer;
const suite = { sockets: [] } as unknown as Parameters<typeof pair>[0];

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const startedAt = performance.now();
  const result = await work;
  return { result, ms: performance.now() - startedAt };
}

// PGlite lives in the server's process and cannot be cut off: this runs in the postgres project.
describe.runIf(TEST_DB === 'postgres')('while PostgreSQL cannot be reached', () => {
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const url = new URL(database.serverOptions.databaseUrl!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    server = await startServer({ ...database.serverOptions, databaseUrl: url.toString() });
    Object.assign(suite, { server, database });
  });

  afterEach(() => proxy.mode('forward'));

  afterAll(async () => {
    for (const socket of suite.sockets) socket.close();
    await proxy?.mode('forward');
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it.each(['refuse', 'blackhole'] as const)(
    'a send is answered UNAVAILABLE with retryAfterMs within a bound (%s), and its retry lands once it is back',
    async (outage) => {
      const { alice, bob, conversationId } = await pair(suite);
      const payload = { conversationId, clientMsgId: randomUUID(), body: `through the ${outage}` };
      await proxy.mode(outage);
      const { result, ms } = await timed(call(alice.socket, 'message:send', payload));
      expect(result).toEqual({
        ok: false,
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/database/),
        retryAfterMs: expect.any(Number),
      });
      expect(ms).toBeLessThan(ANSWER_BOUND_MS);
      const listed = await timed(call(bob.socket, 'conversation:list', {}));
      expect(listed.result).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
      expect(listed.ms).toBeLessThan(ANSWER_BOUND_MS);

      await proxy.mode('forward');
      expect(await call(alice.socket, 'message:send', payload)).toMatchObject({
        ok: true,
        message: { seq: 1, body: payload.body },
      });
    },
  );
});
