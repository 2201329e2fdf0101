import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message, ReceiptUpdate } from '../../protocol';
import { call, nextEvent } from '../helpers/client';
import { openTab, pair, person, send, setupSuite } from '../helpers/suite';

const suite = setupSuite();

describe('starting a conversation', () => {
  it('opens the same 1:1 conversation however often and by whoever it is started', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const again = await call(alice.socket, 'conversation:start', {
      username: ` ${bob.user.username.toUpperCase()} `,
    });
    const fromBob = await call(bob.socket, 'conversation:start', { username: alice.user.username });
    expect(again).toMatchObject({ ok: true, conversation: { id: conversationId, kind: 'direct' } });
    expect(fromBob).toMatchObject({ ok: true, conversation: { id: conversationId } });
    if (!again.ok || !fromBob.ok) return;
    expect(again.conversation.title).toBe(bob.user.username);
    expect(fromBob.conversation.title).toBe(alice.user.username);
  });

  it('creates one conversation when both start it at the same moment', async () => {
    const alice = await person(suite, 'alice');
    const bob = await person(suite, 'bob');
    const results = await Promise.all([
      call(alice.socket, 'conversation:start', { username: bob.user.username }),
      call(bob.socket, 'conversation:start', { username: alice.user.username }),
      call(alice.socket, 'conversation:start', { username: bob.user.username }),
    ]);
    const ids = new Set(
      results.map((result) => (result.ok ? result.conversation.id : result.code)),
    );
    expect(ids.size).toBe(1);
  });

  it('says clearly when the username does not exist or is your own', async () => {
    const alice = await person(suite, 'alice');
    expect(
      await call(alice.socket, 'conversation:start', { username: 'nobody_here_at_all' }),
    ).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'There is no user named “nobody_here_at_all”.',
    });
    expect(
      await call(alice.socket, 'conversation:start', { username: alice.user.username }),
    ).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'You cannot start a conversation with yourself.',
    });
  });
});

describe('sending', () => {
  it('acks after storing and delivers live to every tab of both people', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const aliceTab2 = await openTab(suite, alice);
    const bobTab2 = await openTab(suite, bob);
    const isOurs = (message: Message) => message.conversationId === conversationId;
    const received = Promise.all(
      [bob.socket, bobTab2.socket, aliceTab2.socket].map((socket) =>
        nextEvent(socket, 'message:created', isOurs),
      ),
    );
    const clientMsgId = randomUUID();
    const ack = await call(alice.socket, 'message:send', {
      conversationId,
      clientMsgId,
      body: 'Hi Bob!\nSecond line <b>not bold</b>',
    });
    expect(ack).toMatchObject({
      ok: true,
      duplicate: false,
      message: { seq: 1, senderId: alice.user.id, clientMsgId, kind: 'text' },
    });
    const deliveries = await received;
    for (const message of deliveries) {
      expect(message).toEqual(ack.ok ? ack.message : null);
      expect(message.body).toBe('Hi Bob!\nSecond line <b>not bold</b>');
    }
  });

  it('does not echo a send to the socket it came from, while the sender’s other tab and the recipient get it', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const aliceTab2 = await openTab(suite, alice);
    const seenBySender: Message[] = [];
    const onSender = (message: Message) => seenBySender.push(message);
    alice.socket.on('message:created', onSender);
    const received = Promise.all(
      [bob.socket, aliceTab2.socket].map((socket) =>
        nextEvent(socket, 'message:created', (message) => message.body === 'no echo'),
      ),
    );
    const sent = await send(alice, conversationId, 'no echo');
    expect(await received).toEqual([sent, sent]);
    // A socket receives in order: an echo of Alice's send would arrive before Bob's reply.
    const reply = nextEvent(alice.socket, 'message:created', (message) => message.body === 'reply');
    await send(bob, conversationId, 'reply');
    await reply;
    alice.socket.off('message:created', onSender);
    expect(seenBySender.map((message) => message.body)).toEqual(['reply']);
  });

  it('gives consecutive seqs to concurrent sends from both sides', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const sends = Array.from({ length: 20 }, (_, index) =>
      send(index % 2 ? bob : alice, conversationId, `message ${index}`),
    );
    const seqs = (await Promise.all(sends)).map((message) => message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('stores a retried clientMsgId once and answers with the original id and seq', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const payload = { conversationId, clientMsgId: randomUUID(), body: 'only once' };
    const first = await call(alice.socket, 'message:send', payload);
    const [retry, otherTab] = await Promise.all([
      call(alice.socket, 'message:send', payload),
      openTab(suite, alice).then((tab) => call(tab.socket, 'message:send', payload)),
    ]);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    if (!first.ok) return;
    for (const again of [retry, otherTab]) {
      expect(again).toMatchObject({
        ok: true,
        duplicate: true,
        message: { id: first.message.id, seq: first.message.seq },
      });
    }
    const history = await call(bob.socket, 'message:history', { conversationId });
    expect(history.ok && history.messages.map((message) => message.body)).toEqual(['only once']);
  });

  it('refuses a clientMsgId reused for different text, storing nothing', async () => {
    const { alice, conversationId } = await pair(suite);
    const clientMsgId = randomUUID();
    await call(alice.socket, 'message:send', { conversationId, clientMsgId, body: 'original' });
    const reused = await call(alice.socket, 'message:send', {
      conversationId,
      clientMsgId,
      body: 'changed',
    });
    expect(reused).toMatchObject({ ok: false, code: 'CLIENT_MSG_ID_REUSED' });
    const history = await call(alice.socket, 'message:history', { conversationId });
    expect(history.ok && history.messages.map((message) => message.body)).toEqual(['original']);
  });
});

describe('the conversation list', () => {
  it('shows the most recent conversation first, with preview, time and unread count', async () => {
    const alice = await person(suite, 'alice');
    const bob = await person(suite, 'bob');
    const carol = await person(suite, 'carol');
    const withBob = await call(bob.socket, 'conversation:start', { username: alice.user.username });
    const withCarol = await call(carol.socket, 'conversation:start', {
      username: alice.user.username,
    });
    if (!withBob.ok || !withCarol.ok) throw new Error('could not start');
    await send(bob, withBob.conversation.id, 'first from bob');
    await send(carol, withCarol.conversation.id, 'hello from carol');
    const last = await send(bob, withBob.conversation.id, 'second from bob');

    const list = await call(alice.socket, 'conversation:list', {});
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(list.conversations.map((item) => item.title)).toEqual([
      bob.user.username,
      carol.user.username,
    ]);
    expect(list.conversations[0]).toMatchObject({
      id: withBob.conversation.id,
      kind: 'direct',
      peer: { id: bob.user.id, username: bob.user.username },
      lastSeq: 2,
      readSeq: 0,
      unreadCount: 2,
      lastMessage: {
        seq: 2,
        senderId: bob.user.id,
        body: 'second from bob',
        createdAt: last.createdAt,
      },
      lastActivityAt: last.createdAt,
    });
    expect(list.conversations[1]).toMatchObject({ unreadCount: 1 });
  });

  it('cuts long previews to 120 characters without splitting an emoji', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, '😀'.repeat(500));
    const list = await call(bob.socket, 'conversation:list', {});
    const preview = list.ok ? list.conversations[0]?.lastMessage?.body : undefined;
    expect(preview).toBe('😀'.repeat(120));
  });

  it('lists an empty conversation only for the person who started it', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const ids = async (who: typeof alice) => {
      const list = await call(who.socket, 'conversation:list', {});
      return list.ok ? list.conversations.map((item) => item.id) : [];
    };
    expect(await ids(alice)).toContain(conversationId);
    expect(await ids(bob)).not.toContain(conversationId);
    await send(alice, conversationId, 'now it exists for bob');
    expect(await ids(bob)).toContain(conversationId);
  });

  it('clears the unread count on every tab of the reader when one tab reads', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const bobTab2 = await openTab(suite, bob);
    await send(alice, conversationId, 'one');
    await send(alice, conversationId, 'two');
    const isBobs = (receipt: ReceiptUpdate) =>
      receipt.userId === bob.user.id && receipt.conversationId === conversationId;
    const onOtherTab = nextEvent(bobTab2.socket, 'receipt:updated', isBobs);
    const onAlice = nextEvent(alice.socket, 'receipt:updated', isBobs);
    // Asking beyond the newest message reads everything there is, and no further.
    const read = await call(bob.socket, 'conversation:mark-read', { conversationId, seq: 99 });
    expect(read).toEqual({ ok: true, readSeq: 2 });
    expect(await onOtherTab).toEqual({
      conversationId,
      userId: bob.user.id,
      readSeq: 2,
      deliveredSeq: 2,
      deliveredToAllSeq: 2,
      readByAllSeq: 2,
    });
    expect(await onAlice).toMatchObject({ readSeq: 2 });
    const list = await call(bobTab2.socket, 'conversation:get', { conversationId });
    expect(list).toMatchObject({ ok: true, conversation: { unreadCount: 0, readSeq: 2 } });
    // Markers never move back.
    expect(await call(bob.socket, 'conversation:mark-read', { conversationId, seq: 1 })).toEqual({
      ok: true,
      readSeq: 2,
    });
  });

  it('counts nothing the sender wrote as unread for the sender', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(bob, conversationId, 'from bob');
    await send(alice, conversationId, 'alice answers');
    const got = await call(alice.socket, 'conversation:get', { conversationId });
    expect(got).toMatchObject({ ok: true, conversation: { unreadCount: 0, readSeq: 2 } });
  });
});

describe('read receipts off', () => {
  it('shows the sender delivered but never read, and the reader no read from others', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    expect(await call(bob.socket, 'privacy:update', { readReceipts: false })).toEqual({
      ok: true,
      privacy: { presence: 'contacts', readReceipts: false, findableByName: true },
    });
    const toAlice: ReceiptUpdate[] = [];
    const toBob: ReceiptUpdate[] = [];
    alice.socket.on('receipt:updated', (receipt) => toAlice.push(receipt));
    bob.socket.on('receipt:updated', (receipt) => toBob.push(receipt));

    await send(alice, conversationId, 'one');
    // Bob's device has it: Alice sees two ticks.
    const delivered = nextEvent(alice.socket, 'receipt:updated', (r) => r.deliveredToAllSeq === 1);
    await call(bob.socket, 'conversation:mark-delivered', { conversationId, seq: 1 });
    expect(await delivered).toMatchObject({ deliveredToAllSeq: 1, readByAllSeq: 0 });
    // Bob reads it; his unread count clears, and Alice is never told.
    expect(await call(bob.socket, 'conversation:mark-read', { conversationId, seq: 1 })).toEqual({
      ok: true,
      readSeq: 1,
    });
    expect(await call(bob.socket, 'conversation:get', { conversationId })).toMatchObject({
      ok: true,
      conversation: { readSeq: 1, unreadCount: 0, readByAllSeq: 0 },
    });
    expect(await call(alice.socket, 'conversation:get', { conversationId })).toMatchObject({
      ok: true,
      conversation: { deliveredToAllSeq: 1, readByAllSeq: 0 },
    });
    expect(await call(alice.socket, 'message:receipts', { conversationId, seq: 1 })).toEqual({
      ok: true,
      receipts: { readBy: [], deliveredTo: [bob.user], pending: [] },
    });

    // Bob answers and Alice reads it: Bob sees it delivered, not read.
    await send(bob, conversationId, 'two');
    const aliceRead = nextEvent(bob.socket, 'receipt:updated', (r) => r.deliveredToAllSeq === 2);
    await call(alice.socket, 'conversation:mark-read', { conversationId, seq: 2 });
    expect(await aliceRead).toMatchObject({ userId: alice.user.id, readSeq: 0, readByAllSeq: 0 });
    expect(await call(bob.socket, 'conversation:get', { conversationId })).toMatchObject({
      ok: true,
      conversation: { deliveredToAllSeq: 2, readByAllSeq: 0 },
    });
    expect(await call(bob.socket, 'message:receipts', { conversationId, seq: 2 })).toEqual({
      ok: true,
      receipts: { readBy: [], deliveredTo: [alice.user], pending: [] },
    });
    // Nothing on the wire told either of them a read of the other.
    expect(
      toAlice.filter((r) => r.readByAllSeq > 0 || (r.userId === bob.user.id && r.readSeq > 0)),
    ).toEqual([]);
    expect(
      toBob.filter((r) => r.readByAllSeq > 0 || (r.userId === alice.user.id && r.readSeq > 0)),
    ).toEqual([]);
  });

  it('counts a member with receipts off as having read nothing in a group’s "read by all"', async () => {
    const alice = await person(suite, 'alice');
    const bob = await person(suite, 'bob');
    const carol = await person(suite, 'carol');
    const created = await call(alice.socket, 'group:create', {
      title: 'trio',
      usernames: [bob.user.username, carol.user.username],
      clientRequestId: randomUUID(),
    });
    if (!created.ok) throw new Error(created.message);
    const conversationId = created.conversation.id;
    await call(carol.socket, 'privacy:update', { readReceipts: false });
    const sent = await send(alice, conversationId, 'hello all');
    await call(bob.socket, 'conversation:mark-read', { conversationId, seq: sent.seq });
    await call(carol.socket, 'conversation:mark-read', { conversationId, seq: sent.seq });
    expect(await call(alice.socket, 'conversation:get', { conversationId })).toMatchObject({
      ok: true,
      conversation: { deliveredToAllSeq: sent.seq, readByAllSeq: 0 },
    });
    expect(await call(alice.socket, 'message:receipts', { conversationId, seq: sent.seq })).toEqual(
      {
        ok: true,
        receipts: { readBy: [bob.user], deliveredTo: [carol.user], pending: [] },
      },
    );
    // Carol sees her own read, and Bob's as a delivery.
    expect(await call(carol.socket, 'message:receipts', { conversationId, seq: sent.seq })).toEqual(
      {
        ok: true,
        receipts: { readBy: [carol.user], deliveredTo: [bob.user], pending: [] },
      },
    );
  });
});
