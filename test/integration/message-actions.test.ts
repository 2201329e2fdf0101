// Acting on messages: reply, edit, delete for everyone or for me, reactions and forward; who may
// and when (windows on the server's injected clock); every refusal stores nothing; and the
// change sync (message:changes pages, message:changed pushes with previousChangeSeq) brings a
// device that was away to exactly the server's state.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listStoredMessages } from '../../db/seed';
import type { ConversationSummary, Message, MessageChanges, Settings } from '../../protocol';
import { call, nextEvent, type TestSocket } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { openTab, pair, person, send, setupSuite, type Person } from '../helpers/suite';

/** The server's time: a test moves it forward to close a window, and back afterwards. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
const suite = setupSuite({ clock, settings: GENEROUS_LIMITS });

type Changed = Omit<MessageChanges, 'hasMore'> & { previousChangeSeq: number };

function ok<T extends { ok: boolean }>(ack: T): Extract<T, { ok: true }> {
  if (!ack.ok) throw new Error(`refused: ${JSON.stringify(ack)}`);
  return ack as Extract<T, { ok: true }>;
}

async function group(creator: Person, members: Person[]): Promise<string> {
  const created = await call(creator.socket, 'group:create', {
    title: 'Trip',
    usernames: members.map((member) => member.user.username),
    clientRequestId: randomUUID(),
  });
  return ok(created).conversation.id;
}

async function summary(who: Person, conversationId: string): Promise<ConversationSummary> {
  const listed = ok(await call(who.socket, 'conversation:list', {}));
  const found = listed.conversations.find((item) => item.id === conversationId);
  if (!found) throw new Error('not in the list');
  return found;
}

async function history(who: { socket: TestSocket }, conversationId: string) {
  return ok(await call(who.socket, 'message:history', { conversationId, limit: 100 })).messages;
}

async function changes(
  who: { socket: TestSocket },
  conversationId: string,
  afterChangeSeq: number,
  limit?: number,
): Promise<MessageChanges> {
  const ack = await call(who.socket, 'message:changes', {
    conversationId,
    afterChangeSeq,
    ...(limit === undefined ? {} : { limit }),
  });
  return ok(ack).changes;
}

function edit(who: Person, conversationId: string, seq: number, body: string, id = randomUUID()) {
  return call(who.socket, 'message:edit', { conversationId, seq, body, clientEditId: id });
}

function react(who: Person, conversationId: string, seq: number, emoji: string | null) {
  return call(who.socket, 'message:react', { conversationId, seq, emoji });
}

function remove(who: Person, conversationId: string, seq: number, scope: 'everyone' | 'me') {
  return call(who.socket, 'message:delete', { conversationId, seq, for: scope });
}

const stored = (conversationId: string) =>
  listStoredMessages(suite.server.database.db, conversationId);

/** Every message:changed a socket gets from now on. */
function collectChanges(socket: TestSocket): { seen: Changed[]; stop(): void } {
  const seen: Changed[] = [];
  const listener = (changed: Changed) => seen.push(changed);
  socket.on('message:changed', listener);
  return { seen, stop: () => socket.off('message:changed', listener) };
}

/** Runs `fn` with the server's clock moved forward by `ms`. */
async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  clock.offsetMs += ms;
  try {
    return await fn();
  } finally {
    clock.offsetMs -= ms;
  }
}

/** What an admin does on /admin; applied on this node at once. */
async function setLimits(limits: Partial<Settings>): Promise<void> {
  const { deps } = suite.server.parley;
  await deps.settings.update(deps.db, limits, deps.logger);
}

describe('replying', () => {
  it('quotes the sender and the start of the text, in the ack, live and in history', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const original = await send(alice, conversationId, `${'long '.repeat(40)}end`);
    const aliceSees = nextEvent(alice.socket, 'message:created', (message) => message.seq === 2);
    const reply = ok(
      await call(bob.socket, 'message:send', {
        conversationId,
        clientMsgId: randomUUID(),
        body: 'agreed',
        replyToSeq: original.seq,
      }),
    ).message;
    const quote = {
      seq: original.seq,
      senderId: alice.user.id,
      senderUsername: alice.user.username,
      body: original.body.slice(0, 120),
    };
    expect(reply.replyTo).toEqual(quote);
    expect(await aliceSees).toEqual(reply);
    expect((await history(alice, conversationId))[1]).toMatchObject({ replyTo: quote });
  });

  it('shows a quote of a message deleted for everyone as deleted, without its text', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const original = await send(alice, conversationId, 'secret plan');
    await call(bob.socket, 'message:send', {
      conversationId,
      clientMsgId: randomUUID(),
      body: 'what plan?',
      replyToSeq: original.seq,
    });
    ok(await remove(alice, conversationId, original.seq, 'everyone'));
    const [, reply] = await history(bob, conversationId);
    expect(reply?.replyTo).toEqual({
      seq: original.seq,
      senderId: alice.user.id,
      senderUsername: alice.user.username,
      body: '',
      isDeleted: true,
    });
  });

  it('refuses a replyToSeq that does not exist or belongs to another conversation, storing nothing', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'one');
    const carol = await person(suite, 'carol');
    const other = ok(
      await call(alice.socket, 'conversation:start', { username: carol.user.username }),
    ).conversation.id;
    for (let index = 0; index < 3; index++) await send(carol, other, `elsewhere ${index}`);
    for (const replyToSeq of [3, 999]) {
      const ack = await call(bob.socket, 'message:send', {
        conversationId,
        clientMsgId: randomUUID(),
        body: 'reply',
        replyToSeq,
      });
      expect(ack).toMatchObject({ ok: false, code: 'NOT_FOUND', field: 'replyToSeq' });
    }
    expect((await stored(conversationId)).map((message) => message.body)).toEqual(['one']);
    expect((await send(bob, conversationId, 'next')).seq).toBe(2);
  });

  it('loads the history around a quoted seq, half before it and half after', async () => {
    const { alice, conversationId } = await pair(suite);
    for (let index = 1; index <= 20; index++) await send(alice, conversationId, `m${index}`);
    const around = ok(
      await call(alice.socket, 'message:history', { conversationId, aroundSeq: 10, limit: 6 }),
    );
    expect(around.messages.map((message) => message.seq)).toEqual([8, 9, 10, 11, 12, 13]);
    expect(around.hasMore).toBe(true);
  });
});

describe('editing', () => {
  it('changes the text on every device of both, in history and the preview, and is not unread again', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const aliceTab2 = await openTab(suite, alice);
    const sent = await send(alice, conversationId, 'see you at 8');
    ok(await call(bob.socket, 'conversation:mark-read', { conversationId, seq: sent.seq }));
    const live = [bob.socket, aliceTab2.socket].map((socket) =>
      nextEvent(socket, 'message:changed'),
    );
    const edited = ok(await edit(alice, conversationId, sent.seq, 'see you at 9')).message;
    expect(edited).toMatchObject({
      id: sent.id,
      seq: sent.seq,
      body: 'see you at 9',
      changeSeq: 1,
    });
    expect(edited.editedAt).toEqual(expect.any(String));
    for (const changed of await Promise.all(live)) {
      expect(changed).toEqual({
        conversationId,
        messages: [edited],
        changeSeq: 1,
        previousChangeSeq: 0,
      });
    }
    expect(await history(bob, conversationId)).toEqual([edited]);
    const seen = await summary(bob, conversationId);
    expect(seen).toMatchObject({ lastChangeSeq: 1, unreadCount: 0, readSeq: 1 });
    expect(seen.lastMessage).toMatchObject({ body: 'see you at 9', isEdited: true });
  });

  it('tells every device the windows in session:ready', async () => {
    const { alice } = await pair(suite);
    expect(alice.ready.limits).toEqual({
      maxMessageLength: 100_000,
      editWindowMinutes: 15,
      deleteWindowHours: 48,
    });
  });

  it('applies a retried clientEditId once, answering the same message', async () => {
    const { alice, conversationId } = await pair(suite);
    const sent = await send(alice, conversationId, 'draft');
    const id = randomUUID();
    const first = ok(await edit(alice, conversationId, sent.seq, 'final', id)).message;
    const retry = ok(await edit(alice, conversationId, sent.seq, 'final', id)).message;
    expect(retry).toEqual(first);
    expect((await summary(alice, conversationId)).lastChangeSeq).toBe(1);
  });

  it('refuses others’ messages, system messages and closed windows, storing nothing', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const conversationId = await group(alice!, [bob!]);
    const sent = await send(alice!, conversationId, 'mine');
    expect(await edit(bob!, conversationId, sent.seq, 'hijacked')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: 'You can only edit your own messages.',
    });
    // The group's first message records its creation, in alice's name.
    expect(await edit(alice!, conversationId, 1, 'rewritten history')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    const closed = await later(16 * 60_000, () => edit(alice!, conversationId, sent.seq, 'late'));
    expect(closed).toMatchObject({
      ok: false,
      code: 'EDIT_WINDOW_CLOSED',
      message: 'Messages can only be edited within 15 minutes of sending.',
    });
    const row = (await stored(conversationId)).find((message) => message.seq === sent.seq);
    expect(row).toMatchObject({ body: 'mine', editedAt: null, changeSeq: 0 });
    expect((await summary(alice!, conversationId)).lastChangeSeq).toBe(0);
  });

  it.each([
    ['empty text', ' \n ', 'MESSAGE_EMPTY'],
    ['over-long text', 'a'.repeat(100_001), 'MESSAGE_TOO_LONG'],
    ['a NUL character', 'a\u0000b', 'MESSAGE_INVALID'],
  ])('validates the new text like a new message: %s', async (_, body, code) => {
    const { alice, conversationId } = await pair(suite);
    const sent = await send(alice, conversationId, 'fine');
    expect(await edit(alice, conversationId, sent.seq, body)).toMatchObject({ ok: false, code });
    expect((await stored(conversationId))[0]).toMatchObject({ body: 'fine', editedAt: null });
  });
});

describe('deleting for everyone', () => {
  it('erases the text in the database; history, preview and the other side show it deleted; unread goes down', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(bob, conversationId, 'hello');
    const oops = await send(bob, conversationId, 'wrong chat, sorry');
    expect((await summary(alice, conversationId)).unreadCount).toBe(2);
    const aliceSees = nextEvent(alice.socket, 'message:changed');
    const tombstone = ok(await remove(bob, conversationId, oops.seq, 'everyone')).message;
    expect(tombstone).toMatchObject({
      id: oops.id,
      seq: oops.seq,
      senderId: bob.user.id,
      createdAt: oops.createdAt,
      body: '',
      deleted: { by: { id: bob.user.id, username: bob.user.username } },
    });
    expect((await aliceSees).messages).toEqual([tombstone]);
    const row = (await stored(conversationId)).find((message) => message.seq === oops.seq);
    expect(row).toMatchObject({ body: '', deletedBy: bob.user.id });
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect((await history(alice, conversationId))[1]).toEqual(tombstone);
    const seen = await summary(alice, conversationId);
    expect(seen).toMatchObject({ unreadCount: 1, lastSeq: 2 });
    expect(seen.lastMessage).toMatchObject({ seq: 2, body: '', isDeleted: true });
    // A retry answers the same and changes nothing.
    expect(ok(await remove(bob, conversationId, oops.seq, 'everyone')).message).toEqual(tombstone);
    expect((await summary(bob, conversationId)).lastChangeSeq).toBe(1);
  });

  it('lets a group admin delete anyone’s message, showing who did; members only their own', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const conversationId = await group(alice!, [bob!, carol!]);
    const fromAlice = await send(alice!, conversationId, 'admin says');
    const fromBob = await send(bob!, conversationId, 'spam');
    expect(await remove(carol!, conversationId, fromAlice.seq, 'everyone')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    const carolSees = nextEvent(carol!.socket, 'message:changed');
    const deleted = ok(await remove(alice!, conversationId, fromBob.seq, 'everyone')).message;
    expect(deleted?.deleted?.by).toEqual({ id: alice!.user.id, username: alice!.user.username });
    expect((await carolSees).messages[0]?.deleted?.by.id).toBe(alice!.user.id);
    // Long after, the admin still may; the sender no longer.
    const own = await send(bob!, conversationId, 'regret');
    const refused = await later(49 * 3_600_000, () =>
      remove(bob!, conversationId, own.seq, 'everyone'),
    );
    expect(refused).toMatchObject({ ok: false, code: 'DELETE_WINDOW_CLOSED' });
    expect((await stored(conversationId)).find((row) => row.seq === own.seq)?.body).toBe('regret');
    const late = await later(49 * 3_600_000, () =>
      remove(alice!, conversationId, own.seq, 'everyone'),
    );
    expect(ok(late).message?.deleted?.by.id).toBe(alice!.user.id);
  });

  it('takes the reactions with it, and nobody can react to it any more', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const sent = await send(alice, conversationId, 'react to me');
    ok(await react(bob, conversationId, sent.seq, '👍'));
    const tombstone = ok(await remove(alice, conversationId, sent.seq, 'everyone')).message;
    expect(tombstone?.reactions).toBeUndefined();
    expect(await react(bob, conversationId, sent.seq, '😂')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: 'This message was deleted.',
    });
    expect(await edit(alice, conversationId, sent.seq, 'back')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
  });
});

describe('a send retried after its message changed', () => {
  it('is answered as the message is now, and not pushed again to others without its changes', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const payload = { conversationId, clientMsgId: randomUUID(), body: 'did this land?' };
    const sent = ok(await call(alice.socket, 'message:send', payload)).message;
    const reacted = ok(await react(bob, conversationId, sent.seq, '👍')).message;
    const pushed: Message[] = [];
    const listener = (message: Message) => pushed.push(message);
    bob.socket.on('message:created', listener);

    // The ack of a retry is what a device takes over what it holds: the reactions stay.
    const retried = ok(await call(alice.socket, 'message:send', payload));
    expect(retried).toMatchObject({ duplicate: true, message: reacted });
    const tombstone = ok(await remove(alice, conversationId, sent.seq, 'everyone')).message;
    const again = ok(await call(alice.socket, 'message:send', payload));
    expect(again.message).toEqual(tombstone);
    expect(again.message.deleted?.by.id).toBe(alice.user.id);

    // Bob's devices have it with its changes: a copy without them would take their place.
    const next = nextEvent(bob.socket, 'message:created', (message) => message.body === 'next');
    await send(alice, conversationId, 'next');
    await next;
    bob.socket.off('message:created', listener);
    expect(pushed.map((message) => message.body)).toEqual(['next']);
  });
});

describe('deleting for me', () => {
  it('hides the message on all my devices, nobody else’s, and lowers my unread count', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const aliceTab2 = await openTab(suite, alice);
    await send(bob, conversationId, 'keep');
    const hideMe = await send(bob, conversationId, 'hide me');
    const bobChanges = collectChanges(bob.socket);
    const tab2Sees = nextEvent(aliceTab2.socket, 'message:changed');
    expect(ok(await remove(alice, conversationId, hideMe.seq, 'me')).message).toBeNull();
    const hidden = {
      id: hideMe.id,
      conversationId,
      seq: hideMe.seq,
      senderId: bob.user.id,
      senderUsername: bob.user.username,
      clientMsgId: hideMe.clientMsgId,
      kind: 'text',
      body: '',
      createdAt: hideMe.createdAt,
      changeSeq: 1,
      isHidden: true,
    };
    expect(await tab2Sees).toEqual({
      conversationId,
      messages: [hidden],
      changeSeq: 1,
      previousChangeSeq: 0,
    });
    expect((await history(alice, conversationId))[1]).toEqual(hidden);
    expect((await history(bob, conversationId))[1]).toEqual(hideMe);
    // Her list shows the message before it as the last one; bob's is unchanged.
    const aliceSeen = await summary(alice, conversationId);
    expect(aliceSeen).toMatchObject({ unreadCount: 1, lastSeq: 2 });
    expect(aliceSeen.lastMessage).toMatchObject({ seq: 1, body: 'keep' });
    expect((await summary(bob, conversationId)).lastMessage).toMatchObject({ seq: 2 });
    // Bob's cursor passes alice's hide without seeing it.
    expect(await changes(bob, conversationId, 0)).toEqual({
      conversationId,
      messages: [],
      changeSeq: 1,
      hasMore: false,
      unread: { unreadCount: 0, lastSeq: 2, readSeq: 2 },
    });
    // A change bob does see comes next on his socket: nothing of the hide came before it.
    const marker = nextEvent(bob.socket, 'message:changed');
    ok(await react(alice, conversationId, 1, '👍'));
    await marker;
    bobChanges.stop();
    expect(bobChanges.seen.map((changed) => changed.changeSeq)).toEqual([2]);
    expect(bobChanges.seen[0]?.previousChangeSeq).toBe(1);
  });
});

describe('reactions', () => {
  it('keeps one per person: set, change and remove, live on the other member’s devices', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const sent = await send(alice, conversationId, 'party tonight?');
    const reactionsLive = async (action: () => Promise<unknown>) => {
      const pushed = nextEvent(alice.socket, 'message:changed');
      await action();
      return (await pushed).messages[0]?.reactions;
    };
    const bobs = { id: bob.user.id, username: bob.user.username };
    const alices = { id: alice.user.id, username: alice.user.username };
    expect(await reactionsLive(() => react(bob, conversationId, sent.seq, '👍'))).toEqual([
      { user: bobs, emoji: '👍' },
    ]);
    expect(await reactionsLive(() => react(bob, conversationId, sent.seq, '❤️'))).toEqual([
      { user: bobs, emoji: '❤️' },
    ]);
    const both = ok(await react(alice, conversationId, sent.seq, '🎉')).message.reactions;
    expect(both).toEqual([
      { user: bobs, emoji: '❤️' },
      { user: alices, emoji: '🎉' },
    ]);
    expect(await reactionsLive(() => react(bob, conversationId, sent.seq, null))).toEqual([
      { user: alices, emoji: '🎉' },
    ]);
    expect((await history(bob, conversationId))[0]?.reactions).toEqual([
      { user: alices, emoji: '🎉' },
    ]);
    // The same reaction again writes nothing.
    const before = (await summary(alice, conversationId)).lastChangeSeq;
    ok(await react(alice, conversationId, sent.seq, '🎉'));
    expect((await summary(alice, conversationId)).lastChangeSeq).toBe(before);
  });

  it('refuses system messages and anything that is not one emoji', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const conversationId = await group(alice!, [bob!]);
    expect(await react(bob!, conversationId, 1, '👍')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: 'You cannot react to system messages.',
    });
    const sent = await send(alice!, conversationId, 'hi');
    for (const emoji of ['abc', '👍👍', '']) {
      expect(await react(bob!, conversationId, sent.seq, emoji)).toMatchObject({
        ok: false,
        code: 'BAD_REQUEST',
      });
    }
    expect((await summary(alice!, conversationId)).lastChangeSeq).toBe(0);
  });
});

describe('forwarding', () => {
  async function setting() {
    const { alice, bob, conversationId } = await pair(suite);
    const first = await send(bob, conversationId, 'the address is 1 Main St');
    const second = await send(alice, conversationId, 'door code 1234');
    const carol = await person(suite, 'carol');
    const dave = await person(suite, 'dave');
    const withCarol = ok(
      await call(alice.socket, 'conversation:start', { username: carol.user.username }),
    ).conversation.id;
    const withGroup = await group(alice, [dave]);
    return { alice, bob, carol, dave, conversationId, first, second, withCarol, withGroup };
  }

  it('copies messages into several conversations as new messages marked forwarded, once however often retried', async () => {
    const { alice, carol, conversationId, first, second, withCarol, withGroup } = await setting();
    const payload = {
      conversationId,
      seqs: [first.seq, second.seq],
      targets: [withCarol, withGroup].map((id) => ({
        conversationId: id,
        clientMsgIds: [randomUUID(), randomUUID()],
      })),
    };
    const carolSees = nextEvent(carol.socket, 'message:created', (message) => message.seq === 2);
    const forwarded = ok(await call(alice.socket, 'message:forward', payload)).forwarded;
    expect(forwarded.map((target) => target.conversationId)).toEqual([withCarol, withGroup]);
    const [toCarol, toGroup] = forwarded;
    expect(toCarol?.messages).toMatchObject([
      { seq: 1, senderId: alice.user.id, body: first.body, isForwarded: true },
      { seq: 2, senderId: alice.user.id, body: second.body, isForwarded: true },
    ]);
    expect(toGroup?.messages.map((message) => message.body)).toEqual([first.body, second.body]);
    expect(await carolSees).toEqual(toCarol?.messages[1]);
    expect((await summary(carol, withCarol)).lastMessage).toMatchObject({ body: second.body });

    // Retried at once from two tabs: both answer with the same copies.
    const otherTab = await openTab(suite, alice);
    const retries = await Promise.all(
      [alice.socket, otherTab.socket].map((socket) => call(socket, 'message:forward', payload)),
    );
    for (const retry of retries) expect(ok(retry).forwarded).toEqual(forwarded);
    expect((await stored(withCarol)).length).toBe(2);
  });

  it('refuses a source you are not in and a target you are not in, storing nothing anywhere', async () => {
    const { alice, dave, conversationId, first, withCarol } = await setting();
    expect(
      await call(dave.socket, 'message:forward', {
        conversationId,
        seqs: [first.seq],
        targets: [{ conversationId: withCarol, clientMsgIds: [randomUUID()] }],
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const stranger = await pair(suite);
    expect(
      await call(alice.socket, 'message:forward', {
        conversationId,
        seqs: [first.seq],
        targets: [withCarol, stranger.conversationId].map((id) => ({
          conversationId: id,
          clientMsgIds: [randomUUID()],
        })),
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await stored(withCarol)).toEqual([]);
  });

  it('counts every copy against the message rate limit, and refuses more copies than it ever allows', async () => {
    const { alice, conversationId, first, second, withCarol, withGroup } = await setting();
    const forward = (targets: string[]) =>
      call(alice.socket, 'message:forward', {
        conversationId,
        seqs: [first.seq, second.seq],
        targets: targets.map((id) => ({
          conversationId: id,
          clientMsgIds: [randomUUID(), randomUUID()],
        })),
      });
    // Four messages at once fit the burst reserve; then the reserve is spent for a minute.
    await setLimits({ messagesPerSecond: 1, messageBurst: 4 });
    try {
      ok(await forward([withCarol, withGroup]));
      expect(await forward([withCarol, withGroup])).toMatchObject({
        ok: false,
        code: 'RATE_LIMITED',
      });
      expect(await forward([withCarol, withGroup, conversationId])).toMatchObject({
        ok: false,
        code: 'BAD_REQUEST',
        message:
          'That makes 6 messages, and at most 4 can be sent at once. Forward to fewer chats at a time.',
      });
    } finally {
      await setLimits(GENEROUS_LIMITS);
    }
    expect((await stored(withCarol)).length).toBe(2);
    expect((await stored(conversationId)).length).toBe(2);
  });
});

describe('who may act', () => {
  it('answers a non-member NOT_FOUND for every action, exactly as for no conversation at all', async () => {
    const { alice, conversationId } = await pair(suite);
    const sent = await send(alice, conversationId, 'private');
    const mallory = await person(suite, 'mallory');
    const nowhere = randomUUID();
    for (const id of [conversationId, nowhere]) {
      const acks = [
        await edit(mallory, id, sent.seq, 'x'),
        await remove(mallory, id, sent.seq, 'everyone'),
        await remove(mallory, id, sent.seq, 'me'),
        await react(mallory, id, sent.seq, '👍'),
        await call(mallory.socket, 'message:changes', { conversationId: id, afterChangeSeq: 0 }),
      ];
      for (const ack of acks) {
        expect(ack).toEqual({ ok: false, code: 'NOT_FOUND', message: 'No such conversation.' });
      }
    }
    expect((await summary(alice, conversationId)).lastChangeSeq).toBe(0);
  });

  it('refuses a former member with FORBIDDEN, stores nothing, and still brings them deletions of what they saw', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const conversationId = await group(alice!, [bob!, carol!]);
    const seen = await send(bob!, conversationId, 'carol saw this');
    const own = await send(carol!, conversationId, 'carol wrote this');
    ok(
      await call(alice!.socket, 'group:remove-member', {
        conversationId,
        userId: carol!.user.id,
      }),
    );
    const noLonger = {
      ok: false,
      code: 'FORBIDDEN',
      message: 'You are no longer a member of this group.',
    };
    expect(await edit(carol!, conversationId, own.seq, 'edited')).toEqual(noLonger);
    expect(await remove(carol!, conversationId, own.seq, 'everyone')).toEqual(noLonger);
    expect(await remove(carol!, conversationId, seen.seq, 'me')).toEqual(noLonger);
    expect(await react(carol!, conversationId, seen.seq, '👍')).toEqual(noLonger);
    expect((await summary(alice!, conversationId)).lastChangeSeq).toBe(0);
    const rows = await stored(conversationId);
    expect(rows.find((row) => row.seq === own.seq)).toMatchObject({ body: own.body, changeSeq: 0 });

    ok(await remove(bob!, conversationId, seen.seq, 'everyone'));
    const synced = await changes(carol!, conversationId, 0);
    expect(synced.messages).toMatchObject([{ seq: seen.seq, body: '', deleted: {} }]);
    expect((await history(carol!, conversationId)).find((m) => m.seq === seen.seq)?.body).toBe('');
  });
});

describe('members added later', () => {
  it('neither see nor act on messages from before they came, and their cursor passes their changes', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const conversationId = await group(alice!, [bob!]);
    const before = await send(alice!, conversationId, 'before carol');
    ok(
      await call(alice!.socket, 'group:add-members', {
        conversationId,
        usernames: [carol!.user.username],
      }),
    );
    const carolChanges = collectChanges(carol!.socket);
    ok(await edit(alice!, conversationId, before.seq, 'before carol, edited'));
    const noSuchMessage = { ok: false, code: 'NOT_FOUND', message: 'No such message.' };
    expect(await react(carol!, conversationId, before.seq, '👍')).toEqual(noSuchMessage);
    expect(await remove(carol!, conversationId, before.seq, 'me')).toEqual(noSuchMessage);
    expect(
      await call(carol!.socket, 'message:send', {
        conversationId,
        clientMsgId: randomUUID(),
        body: 'reply',
        replyToSeq: before.seq,
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND', field: 'replyToSeq' });
    expect(await changes(carol!, conversationId, 0)).toMatchObject({
      conversationId,
      messages: [],
      changeSeq: 1,
      hasMore: false,
    });
    // A change carol does see comes after: nothing of the first reached her.
    const mine = await send(carol!, conversationId, 'hi all');
    const marker = nextEvent(carol!.socket, 'message:changed');
    ok(await react(alice!, conversationId, mine.seq, '👋'));
    await marker;
    carolChanges.stop();
    expect(carolChanges.seen.map((changed) => changed.previousChangeSeq)).toEqual([1]);
  });
});

describe('changes at the same moment', () => {
  it('take consecutive change seqs, and the message ends with every reaction', async () => {
    const people = await Promise.all(
      ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => person(suite, name)),
    );
    const [alice, ...others] = people as [Person, ...Person[]];
    const conversationId = await group(alice, others);
    const sent = await send(alice, conversationId, 'vote');
    const emojis = ['👍', '👎', '🎉', '😂', '❤️'];
    await Promise.all(
      others.map((who, index) => react(who, conversationId, sent.seq, emojis[index]!)),
    );
    const synced = await changes(alice, conversationId, 0);
    expect(synced.changeSeq).toBe(others.length);
    expect(synced.messages).toHaveLength(1);
    const reactions = synced.messages[0]?.reactions ?? [];
    expect(reactions.map((reaction) => reaction.user.id).sort()).toEqual(
      others.map((who) => who.user.id).sort(),
    );
    expect(synced.messages[0]?.changeSeq).toBe(others.length);
  });
});

describe('syncing changes', () => {
  it('pages changes in bounded pages, ordered, with hasMore until the cursor reaches lastChangeSeq', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const sent: Message[] = [];
    for (let index = 0; index < 5; index++)
      sent.push(await send(alice, conversationId, `m${index}`));
    for (const message of sent)
      ok(await edit(alice, conversationId, message.seq, `${message.body}!`));
    // The first message changes again: it moves to the end of the order.
    ok(await react(bob, conversationId, sent[0]!.seq, '👍'));
    const pages: MessageChanges[] = [];
    let cursor = 0;
    for (;;) {
      const page = await changes(bob, conversationId, cursor, 2);
      pages.push(page);
      expect(page.messages.length).toBeLessThanOrEqual(2);
      cursor = page.changeSeq;
      if (!page.hasMore) break;
    }
    expect(pages.map((page) => page.messages.map((message) => message.seq))).toEqual([
      [2, 3],
      [4, 5],
      [1],
    ]);
    expect(pages.map((page) => page.changeSeq)).toEqual([3, 5, 6]);
    expect(pages.map((page) => page.hasMore)).toEqual([true, true, false]);
    expect(cursor).toBe((await summary(bob, conversationId)).lastChangeSeq);
  });

  it('ends with the viewer’s unread count on the last page, leaving out what was deleted or hidden', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    for (let index = 0; index < 4; index++) await send(bob, conversationId, `m${index}`);
    ok(await remove(bob, conversationId, 2, 'everyone'));
    ok(await remove(alice, conversationId, 3, 'me'));
    ok(await react(alice, conversationId, 4, '👍'));
    const first = await changes(alice, conversationId, 0, 2);
    expect(first.hasMore).toBe(true);
    expect(first.unread).toBeUndefined();
    const last = await changes(alice, conversationId, first.changeSeq, 2);
    expect(last.hasMore).toBe(false);
    expect(last.unread).toEqual({ unreadCount: 2, lastSeq: 4, readSeq: 0 });
    expect((await summary(alice, conversationId)).unreadCount).toBe(2);
    // The sender has read everything up to their own last message.
    expect((await changes(bob, conversationId, 0)).unread).toEqual({
      unreadCount: 0,
      lastSeq: 4,
      readSeq: 4,
    });
  });

  it('pushes each change with previousChangeSeq, one after the other', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const sent = await send(alice, conversationId, 'watch this');
    const pushes = collectChanges(bob.socket);
    const last = nextEvent(bob.socket, 'message:changed', (changed) => changed.changeSeq === 4);
    ok(await edit(alice, conversationId, sent.seq, 'watch this!'));
    ok(await react(alice, conversationId, sent.seq, '👀'));
    ok(await react(alice, conversationId, sent.seq, null));
    ok(await remove(alice, conversationId, sent.seq, 'everyone'));
    await last;
    pushes.stop();
    expect(pushes.seen.map((changed) => [changed.previousChangeSeq, changed.changeSeq])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
  });

  it('brings a device that was offline during many changes to exactly the server’s state', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const sent: Message[] = [];
    for (let index = 0; index < 8; index++) {
      sent.push(await send(index % 2 ? bob : alice, conversationId, `message ${index}`));
    }
    // Bob's phone has everything so far, then goes offline.
    const phone = await openTab(suite, bob);
    const local = new Map((await history(phone, conversationId)).map((m) => [m.seq, m]));
    let cursor = (await summary(bob, conversationId)).lastChangeSeq;
    phone.socket.close();

    for (const message of sent) {
      const isAlices = message.senderId === alice.user.id;
      const author = isAlices ? alice : bob;
      const other = isAlices ? bob : alice;
      ok(await react(other, conversationId, message.seq, '👍'));
      if (message.seq % 3 === 0) ok(await remove(author, conversationId, message.seq, 'everyone'));
      else ok(await edit(author, conversationId, message.seq, `${message.body} (edited)`));
      if (message.seq % 4 === 0) ok(await react(other, conversationId, message.seq, '😂'));
    }
    ok(await remove(bob, conversationId, 2, 'me'));
    ok(await remove(alice, conversationId, 4, 'me'));

    const back = await openTab(suite, bob);
    for (;;) {
      const page = await changes(back, conversationId, cursor, 3);
      for (const message of page.messages) local.set(message.seq, message);
      cursor = page.changeSeq;
      if (!page.hasMore) break;
    }
    const server = await history(back, conversationId);
    expect([...local.values()].sort((a, b) => a.seq - b.seq)).toEqual(server);
    expect(server.find((message) => message.seq === 2)).toMatchObject({ isHidden: true });
    expect(server.find((message) => message.seq === 4)?.body).toBe('message 3 (edited)');
    expect(cursor).toBe((await summary(bob, conversationId)).lastChangeSeq);
  });
});
