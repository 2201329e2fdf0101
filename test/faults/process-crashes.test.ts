// Crashes of a real server process (SIGKILL), which an in-process server cannot have: acked
// messages and sessions outlive one on both databases, and the documented PARLEY_FAILPOINT
// switch crash-after-commit really kills the process between COMMIT and the ack.

import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { call, connect, signUp, type Account } from '../helpers/client';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startProcessServer, type ProcessServer } from '../helpers/process-server';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.drop();
});

async function freshDatabase(kind: 'pglite' | 'postgres') {
  const database = await createTestDatabase(kind);
  databases.push(database);
  return database.serverOptions;
}

/** Alice and Bob, and a direct conversation between them, on `server`. */
async function pair(server: ProcessServer) {
  const alice = await signUp(server.url, 'alice');
  const bob = await signUp(server.url, 'bob');
  const { socket } = await connect(server.url, alice);
  const started = await call(socket, 'conversation:start', { username: bob.user.username });
  if (!started.ok) throw new Error(started.message);
  return { alice, bob, socket, conversationId: started.conversation.id };
}

async function sendAs(account: Account, url: string, conversationId: string, body: string) {
  const { socket } = await connect(url, account);
  const ack = await call(socket, 'message:send', {
    conversationId,
    clientMsgId: randomUUID(),
    body,
  });
  socket.close();
  if (!ack.ok) throw new Error(`send failed: ${ack.code} ${ack.message}`);
}

describe.each(['pglite', 'postgres'] as const)('after a restart on %s', (kind) => {
  it('keeps every acknowledged message and session after a crash (SIGKILL)', async () => {
    const options = await freshDatabase(kind);
    const first = await startProcessServer(options);
    const { alice, bob, socket, conversationId } = await pair(first);
    socket.close();
    await sendAs(alice, first.url, conversationId, 'before the restart');
    await sendAs(bob, first.url, conversationId, 'still here?');
    await first.kill();

    const second = await startProcessServer(options);
    try {
      const { socket: again } = await connect(second.url, bob);
      const history = await call(again, 'message:history', { conversationId });
      expect(history.ok && history.messages.map((message) => message.body)).toEqual([
        'before the restart',
        'still here?',
      ]);
      again.close();
    } finally {
      await second.stop();
    }
  });
});

describe('the PARLEY_FAILPOINT switch crash-after-commit', () => {
  it('kills the process between COMMIT and the ack; the retry gets the original id and seq', async () => {
    const options = await freshDatabase('pglite');
    const doomed = await startProcessServer({
      ...options,
      env: { PARLEY_FAILPOINT: 'crash-after-commit' },
    });
    const { alice, bob, socket, conversationId } = await pair(doomed);
    const payload = { conversationId, clientMsgId: randomUUID(), body: 'did this land?' };

    const lost = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const unanswered = call(socket, 'message:send', payload).then(
      () => 'acked',
      () => 'no ack',
    );
    expect(await lost).toBe('transport close');
    expect(await unanswered).toBe('no ack');
    await doomed.kill(); // already dead; waits for the exit
    expect(doomed.process.signalCode).toBe('SIGKILL');

    const restarted = await startProcessServer(options);
    try {
      const again = await connect(restarted.url, alice);
      const retry = await call(again.socket, 'message:send', payload);
      expect(retry).toMatchObject({
        ok: true,
        duplicate: true,
        message: { seq: 1, body: 'did this land?' },
      });
      const bobAgain = await connect(restarted.url, bob);
      const history = await call(bobAgain.socket, 'message:history', { conversationId });
      expect(history.ok && history.messages).toHaveLength(1);
      expect(history.ok && history.messages[0]?.id).toBe(retry.ok && retry.message.id);
      again.socket.close();
      bobAgain.socket.close();
    } finally {
      await restarted.stop();
    }
  });
});
