// The delivery protocol on the wire: sync pages from a cursor, delivered/read markers and their
// broadcasts, and a retry after a crash between COMMIT and the ack.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '../../hooks/device-store';
import type { ReceiptUpdate } from '../../protocol';
import { NodeDiedError } from '../../server/failpoints';
import { call, callRaw, connect, emitNow, nextEvent, until } from '../helpers/client';
import { makeDataDir } from '../helpers/database';
import { startServer, type TestServer } from '../helpers/server';
import { appClient, openTab, pair, person, send, setupSuite } from '../helpers/suite';

/** While set, message:history handlers wait for it before they run: to keep them in flight. */
let heldPages: Promise<void> | null = null;
const suite = setupSuite({
  failpoints: {
    beforeEvent: (event) => (event === 'message:history' ? heldPages : null) ?? undefined,
  },
});

describe('sync from a cursor', () => {
  it('pages forward from afterSeq, oldest first, until caught up', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    for (let index = 1; index <= 25; index++) await send(alice, conversationId, `m${index}`);
    const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);

    const first = await call(bob.socket, 'message:history', {
      conversationId,
      afterSeq: 0,
      limit: 10,
    });
    expect(first.ok && seqs(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.ok && first.hasMore).toBe(true);
    const last = await call(bob.socket, 'message:history', {
      conversationId,
      afterSeq: 20,
      limit: 10,
    });
    expect(last.ok && seqs(last)).toEqual([21, 22, 23, 24, 25]);
    expect(last.ok && last.hasMore).toBe(false);
    const beyond = await call(bob.socket, 'message:history', { conversationId, afterSeq: 25 });
    expect(beyond).toEqual({ ok: true, messages: [], hasMore: false });
  });

  it('refuses a page asked in two directions at once', async () => {
    const { alice, conversationId } = await pair(suite);
    for (const cursors of [
      { afterSeq: 1, beforeSeq: 5 },
      { afterSeq: 1, aroundSeq: 3 },
      { beforeSeq: 5, aroundSeq: 3 },
    ]) {
      expect(
        await callRaw(alice.socket, 'message:history', { conversationId, ...cursors }),
      ).toMatchObject({
        ok: false,
        code: 'BAD_REQUEST',
        message: 'Give at most one of beforeSeq, afterSeq and aroundSeq.',
      });
    }
  });
});

describe('receipts', () => {
  const about = (conversationId: string, userId: string) => (receipt: ReceiptUpdate) =>
    receipt.conversationId === conversationId && receipt.userId === userId;

  it('go from sent to delivered to read, live on every device of the sender', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const aliceTab2 = await openTab(suite, alice);
    await send(alice, conversationId, 'one');
    await send(alice, conversationId, 'two');
    const sent = await call(alice.socket, 'conversation:get', { conversationId });
    expect(sent).toMatchObject({
      ok: true,
      conversation: { deliveredToAllSeq: 0, readByAllSeq: 0 },
    });

    const delivered = Promise.all(
      [alice.socket, aliceTab2.socket].map((socket) =>
        nextEvent(socket, 'receipt:updated', about(conversationId, bob.user.id)),
      ),
    );
    expect(
      await call(bob.socket, 'conversation:mark-delivered', { conversationId, seq: 2 }),
    ).toEqual({
      ok: true,
      deliveredSeq: 2,
    });
    for (const receipt of await delivered) {
      expect(receipt).toEqual({
        conversationId,
        userId: bob.user.id,
        deliveredSeq: 2,
        readSeq: 0,
        deliveredToAllSeq: 2,
        readByAllSeq: 0,
      });
    }

    // Reporting the same delivery again changes nothing and tells nobody: the next receipt
    // alice hears of is the read one.
    await call(bob.socket, 'conversation:mark-delivered', { conversationId, seq: 2 });
    const read = nextEvent(alice.socket, 'receipt:updated', about(conversationId, bob.user.id));
    await call(bob.socket, 'conversation:mark-read', { conversationId, seq: 1 });
    expect(await read).toMatchObject({
      readSeq: 1,
      deliveredSeq: 2,
      readByAllSeq: 1,
      deliveredToAllSeq: 2,
    });

    const after = await call(aliceTab2.socket, 'conversation:get', { conversationId });
    expect(after).toMatchObject({
      ok: true,
      conversation: { deliveredToAllSeq: 2, readByAllSeq: 1 },
    });
  });

  it('never move a marker past the newest message or backwards; reading implies delivery', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'only one');
    expect(
      await call(bob.socket, 'conversation:mark-delivered', { conversationId, seq: 50 }),
    ).toEqual({
      ok: true,
      deliveredSeq: 1,
    });
    expect(
      await call(bob.socket, 'conversation:mark-delivered', { conversationId, seq: 0 }),
    ).toEqual({
      ok: true,
      deliveredSeq: 1,
    });
    await send(alice, conversationId, 'second');
    await call(bob.socket, 'conversation:mark-read', { conversationId, seq: 2 });
    const got = await call(bob.socket, 'conversation:get', { conversationId });
    expect(got).toMatchObject({
      ok: true,
      conversation: { readSeq: 2, deliveredSeq: 2, unreadCount: 0 },
    });
  });

  it('refuse markers for a conversation the user is not in', async () => {
    const { conversationId } = await pair(suite);
    const { bob: eve } = await pair(suite);
    expect(
      await call(eve.socket, 'conversation:mark-delivered', { conversationId, seq: 1 }),
    ).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'No such conversation.',
    });
  });
});

describe('delivery reports without an ack', () => {
  it('move the marker and tell the sender, even while the socket has four events in flight', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'one');
    await send(alice, conversationId, 'two');
    let release!: () => void;
    heldPages = new Promise<void>((resolve) => (release = resolve));
    try {
      // Four requests wait in their handler: every place this socket has for events in flight.
      const pages = Array.from({ length: 4 }, () =>
        emitNow(bob.socket, 'message:history', { conversationId, afterSeq: 0 }),
      );
      const told = nextEvent(
        alice.socket,
        'receipt:updated',
        (receipt) => receipt.userId === bob.user.id && receipt.deliveredSeq === 2,
      );
      const untyped = bob.socket as unknown as { emit(event: string, payload: unknown): void };
      untyped.emit('conversation:mark-delivered', { conversationId, seq: 1 });
      untyped.emit('conversation:mark-delivered', { conversationId, seq: 2 });
      expect(await told).toMatchObject({ conversationId, deliveredSeq: 2, deliveredToAllSeq: 2 });
      release();
      for (const page of await Promise.all(pages)) expect(page).toMatchObject({ ok: true });
    } finally {
      heldPages = null;
      release();
    }
    expect(await call(bob.socket, 'conversation:get', { conversationId })).toMatchObject({
      ok: true,
      conversation: { deliveredSeq: 2, deliveredToAllSeq: 2 },
    });
  });

  it('are left out when they are not well formed, and harm nothing', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'one');
    const untyped = bob.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    const invalid = (entry: Record<string, unknown>) =>
      entry.event === 'socket.invalid-payload' &&
      entry.name === 'conversation:mark-delivered' &&
      entry.userId === bob.user.id;
    const before = suite.server.logs.filter(invalid).length;
    untyped.emit('conversation:mark-delivered', { conversationId, seq: -1 });
    untyped.emit('conversation:mark-delivered', { conversationId: 'not a uuid', seq: 1 });
    untyped.emit('conversation:mark-delivered', { conversationId, seq: 1, extra: true });
    untyped.emit('conversation:mark-delivered', { conversationId, seq: 1 }, 'a second argument');
    await expect.poll(() => suite.server.logs.filter(invalid).length - before).toBe(4);
    // One of a conversation that is not theirs records nothing; theirs still works.
    untyped.emit('conversation:mark-delivered', { conversationId: randomUUID(), seq: 1 });
    const told = nextEvent(
      alice.socket,
      'receipt:updated',
      (receipt) => receipt.userId === bob.user.id,
    );
    untyped.emit('conversation:mark-delivered', { conversationId, seq: 1 });
    expect(await told).toMatchObject({ conversationId, deliveredSeq: 1, deliveredToAllSeq: 1 });
    expect(await call(bob.socket, 'conversation:get', { conversationId })).toMatchObject({
      ok: true,
      conversation: { deliveredSeq: 1, readSeq: 0 },
    });
  });
});

describe('a crash between COMMIT and the ack', () => {
  it('leaves the message stored once, and the retry gets the original id and seq', async () => {
    const options = { ...suite.database.serverOptions, dataDir: makeDataDir() };
    // The node dies right after the commit: no ack and no broadcast leave it, every connection
    // is cut. (test/faults/crash-after-commit.test.ts kills a real process the same way.)
    const doomed: TestServer = await startServer({
      ...options,
      failpoints: {
        afterMessageCommit: () => {
          void doomed.kill();
          throw new NodeDiedError();
        },
      },
    });
    const own = { ...suite, server: doomed };
    const { alice, bob, conversationId } = await pair(own);
    const payload = { conversationId, clientMsgId: randomUUID(), body: 'did this land?' };

    const lost = new Promise<string>((resolve) => alice.socket.once('disconnect', resolve));
    const unanswered = call(alice.socket, 'message:send', payload).then(
      () => 'acked',
      () => 'no ack',
    );
    expect(await lost).toBe('transport close');
    expect(await unanswered).toBe('no ack');
    await doomed.kill(); // already dying; waits until everything is closed
    expect(doomed.isListening()).toBe(false);

    const restarted = await startServer(options);
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

describe('a retry after the node died between COMMIT and the ack', () => {
  it('pushes the message to the members and the sender’s other devices, in a quiet conversation', async () => {
    // One node of the cluster "dies" for one send (no ack, no broadcast); the retry lands on a
    // node that is alive, here the same server.
    let dies: (() => void) | undefined;
    const died = new Promise<void>((resolve) => (dies = resolve));
    let isDoomed = false;
    const server = await startServer({
      ...suite.database.serverOptions,
      dataDir: makeDataDir(),
      failpoints: {
        afterMessageCommit: () => {
          if (!isDoomed) return;
          isDoomed = false;
          dies?.();
          throw new NodeDiedError();
        },
      },
    });
    try {
      const own = { ...suite, server };
      const { alice, bob, conversationId } = await pair(own);
      const alicePhone = await openTab(own, alice);
      const payload = { conversationId, clientMsgId: randomUUID(), body: 'nobody heard this' };
      const bobGets = nextEvent(bob.socket, 'message:created');
      const phoneGets = nextEvent(alicePhone.socket, 'message:created');

      isDoomed = true;
      alice.socket.emit('message:send', payload, () => {
        throw new Error('a node that died does not answer');
      });
      await died;
      const retry = await call(alice.socket, 'message:send', payload);
      expect(retry).toMatchObject({ ok: true, duplicate: true, message: { seq: 1 } });
      const stored = retry.ok ? retry.message : undefined;
      // Nothing else is said in the conversation: the retry alone must bring it.
      expect(await bobGets).toEqual(stored);
      expect(await phoneGets).toEqual(stored);
    } finally {
      await server.stop();
    }
  });
});

describe('the conversation list on the device', () => {
  it('holds a new conversation as soon as it is started (a reload right after finds it)', async () => {
    const alice = await person(suite, 'alice');
    const device = new MemoryDeviceStore();
    const client = appClient(suite, alice, { store: device });
    try {
      await client.start();
      const carol = await person(suite, 'carol');
      const started = await client.startConversation(carol.user.username);
      if (!started.ok) throw new Error(started.message);
      const stored = await device.load(50);
      expect(stored.conversations.map((item) => item.id)).toContain(started.conversation.id);
    } finally {
      client.stop();
    }
  });

  it('holds a conversation read as soon as it is read (a reload right after shows it read)', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(bob, conversationId, 'hello');
    const device = new MemoryDeviceStore();
    const client = appClient(suite, alice, { store: device, isVisible: () => true });
    const readSeq = () =>
      client.getState().conversations.find((item) => item.id === conversationId)?.readSeq;
    try {
      await client.start();
      await until(client, () => client.getState().threads[conversationId]?.syncedSeq === 1);
      client.openConversation(conversationId);
      await until(client, () => readSeq() === 1);
      const stored = await device.load(50);
      expect(stored.conversations.find((item) => item.id === conversationId)?.readSeq).toBe(1);
    } finally {
      client.stop();
    }
  });
});
