import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, connect } from '../helpers/client';
import { makeDataDir } from '../helpers/database';
import { startServer } from '../helpers/server';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { pair, person, send, setupSuite } from '../helpers/suite';

// The suite writes 120 messages as fast as it can, far beyond what a person may send.
const suite = setupSuite({ settings: { messagesPerSecond: GENEROUS_LIMITS.messagesPerSecond } });

describe('history', () => {
  it('pages backwards by seq, oldest first within a page, until the beginning', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    for (let index = 1; index <= 120; index++) {
      await send(index % 3 ? alice : bob, conversationId, `message ${index}`);
    }
    const seqs = (messages: { seq: number }[]) => messages.map((message) => message.seq);
    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, index) => from + index);

    const newest = await call(bob.socket, 'message:history', { conversationId });
    expect(newest.ok && seqs(newest.messages)).toEqual(range(71, 120));
    expect(newest.ok && newest.hasMore).toBe(true);

    const older = await call(bob.socket, 'message:history', { conversationId, beforeSeq: 71 });
    expect(older.ok && seqs(older.messages)).toEqual(range(21, 70));

    const oldest = await call(bob.socket, 'message:history', {
      conversationId,
      beforeSeq: 21,
      limit: 100,
    });
    expect(oldest.ok && seqs(oldest.messages)).toEqual(range(1, 20));
    expect(oldest.ok && oldest.hasMore).toBe(false);
    expect(oldest.ok && oldest.messages[0]?.body).toBe('message 1');

    const small = await call(alice.socket, 'message:history', { conversationId, limit: 3 });
    expect(small.ok && seqs(small.messages)).toEqual([118, 119, 120]);
  });

  it('refuses crafted cursors and limits with a clear error', async () => {
    const { alice, conversationId } = await pair(suite);
    const cases = [
      [{ conversationId, limit: 0 }, { field: 'limit' }],
      [{ conversationId, limit: 101 }, { field: 'limit' }],
      [{ conversationId, limit: 2.5 }, { field: 'limit' }],
      [{ conversationId, beforeSeq: 0 }, { field: 'beforeSeq' }],
      [{ conversationId, beforeSeq: -1 }, { field: 'beforeSeq' }],
      [{ conversationId, beforeSeq: '10' }, { field: 'beforeSeq' }],
      [{ conversationId, beforeSeq: 2 ** 40 }, { field: 'beforeSeq' }],
      [{ conversationId: 'not-a-uuid' }, { field: 'conversationId' }],
      [{ conversationId, offset: 10 }, { message: /Unrecognized key/ }],
    ] as const;
    for (const [payload, expected] of cases) {
      const result = await call(alice.socket, 'message:history', payload as never);
      expect(result).toMatchObject({ ok: false, code: 'BAD_REQUEST', ...expected });
    }
  });

  it('gives a non-member the same answer as for a conversation that does not exist', async () => {
    const { alice, conversationId } = await pair(suite);
    await send(alice, conversationId, 'private');
    const eve = await person(suite, 'eve');
    const foreign = await call(eve.socket, 'message:history', { conversationId });
    const missing = await call(eve.socket, 'message:history', { conversationId: randomUUID() });
    expect(foreign).toEqual({ ok: false, code: 'NOT_FOUND', message: 'No such conversation.' });
    expect(missing).toEqual(foreign);
    expect(await call(eve.socket, 'conversation:get', { conversationId })).toEqual(foreign);
    expect(await call(eve.socket, 'conversation:mark-read', { conversationId, seq: 1 })).toEqual(
      foreign,
    );
  });
});

// After a crash (SIGKILL) too: test/faults/restart-after-crash.test.ts kills a real process.
describe('after a restart', () => {
  it('keeps every acknowledged message and session after a clean stop (SIGTERM)', async () => {
    // A server of its own: the suite's server must keep running for the other tests.
    const options = { ...suite.database.serverOptions, dataDir: makeDataDir() };
    const first = await startServer(options);
    const own = { ...suite, server: first };
    const { alice, bob, conversationId } = await pair(own);
    await send(alice, conversationId, 'before the restart');
    await send(bob, conversationId, 'still here?');
    await first.stop();

    const second = await startServer(options);
    try {
      const { socket } = await connect(second.url, bob);
      const history = await call(socket, 'message:history', { conversationId });
      expect(history.ok && history.messages.map((message) => message.body)).toEqual([
        'before the restart',
        'still here?',
      ]);
      socket.close();
    } finally {
      await second.stop();
    }
  });
});
