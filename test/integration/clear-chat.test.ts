// "Clear chat": every message of a conversation hidden for one person, on all their devices, as
// "delete for me" hides one; the others in it keep theirs. Devices learn of it as changes to
// messages: the newest in one push, all of them from the change cursor.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message, MessageChanges } from '../../protocol';
import { CLEAR_PUSH_MAX } from '../../server/chat/clear-conversation';
import { call, nextEvent, type TestSocket } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { openTab, pair, person, send, setupSuite } from '../helpers/suite';

const suite = setupSuite({ settings: GENEROUS_LIMITS });

function clear(socket: TestSocket, conversationId: string) {
  return call(socket, 'conversation:clear', { conversationId });
}

async function history(socket: TestSocket, conversationId: string): Promise<Message[]> {
  const page = await call(socket, 'message:history', { conversationId, limit: 100 });
  if (!page.ok) throw new Error(page.message);
  return page.messages;
}

/** Every change beyond `afterChangeSeq`, page after page, as a device's sync fetches them. */
async function changesAfter(
  socket: TestSocket,
  conversationId: string,
  afterChangeSeq: number,
): Promise<{ messages: Message[]; changeSeq: number }> {
  const messages: Message[] = [];
  let cursor = afterChangeSeq;
  let page: MessageChanges;
  do {
    const answer = await call(socket, 'message:changes', {
      conversationId,
      afterChangeSeq: cursor,
    });
    if (!answer.ok) throw new Error(answer.message);
    page = answer.changes;
    messages.push(...page.messages);
    cursor = page.changeSeq;
  } while (page.hasMore);
  return { messages, changeSeq: cursor };
}

async function lastMessageOf(socket: TestSocket, conversationId: string) {
  const got = await call(socket, 'conversation:get', { conversationId });
  if (!got.ok) throw new Error(got.message);
  return got.conversation.lastMessage;
}

describe('clearing a chat', () => {
  it('hides every message for the person on all their devices, and for nobody else', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const sent = [
      await send(alice, conversationId, 'one'),
      await send(bob, conversationId, 'two'),
      await send(alice, conversationId, 'three'),
    ];
    const aliceTablet = await openTab(suite, alice);
    const bobChanges: unknown[] = [];
    bob.socket.on('message:changed', (change) => bobChanges.push(change));

    const pushed = nextEvent(aliceTablet.socket, 'message:changed');
    const cleared = await clear(alice.socket, conversationId);
    expect(cleared).toEqual({
      ok: true,
      conversationId,
      upToSeq: sent[2]!.seq,
      count: 3,
      changeSeq: expect.any(Number),
    });
    if (!cleared.ok) return;

    // Her other device: the hides as one change, following on from where it stood.
    const push = await pushed;
    expect(push).toMatchObject({
      conversationId,
      changeSeq: cleared.changeSeq,
      previousChangeSeq: cleared.changeSeq - 3,
    });
    expect(push.messages.map((message) => [message.seq, message.isHidden, message.body])).toEqual(
      sent.map((message) => [message.seq, true, '']),
    );

    // Her history shows each as hidden; her list, no last message; bob's, all of it.
    expect((await history(alice.socket, conversationId)).every((m) => m.isHidden)).toBe(true);
    expect(await lastMessageOf(alice.socket, conversationId)).toBeNull();
    expect((await history(bob.socket, conversationId)).map((message) => message.body)).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(await lastMessageOf(bob.socket, conversationId)).toMatchObject({ body: 'three' });
    // Nothing went to bob: his next answer comes after anything the clear sent him.
    await history(bob.socket, conversationId);
    expect(bobChanges).toEqual([]);

    // What comes after is shown; clearing again hides only that; with nothing new, nothing.
    const after = await send(bob, conversationId, 'four');
    expect(await lastMessageOf(alice.socket, conversationId)).toMatchObject({ body: 'four' });
    expect(await clear(alice.socket, conversationId)).toMatchObject({
      ok: true,
      upToSeq: after.seq,
      count: 1,
      changeSeq: cleared.changeSeq + 1,
    });
    expect(await clear(alice.socket, conversationId)).toMatchObject({
      ok: true,
      upToSeq: after.seq,
      count: 0,
      changeSeq: cleared.changeSeq + 1,
    });
    expect(await lastMessageOf(alice.socket, conversationId)).toBeNull();
  });

  it('pushes the newest hides of a long chat, and a device fetches all of them from its cursor', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const count = CLEAR_PUSH_MAX + 30;
    for (let index = 1; index <= count; index++) {
      await send(index % 2 ? alice : bob, conversationId, `message ${index}`);
    }
    const start = await changesAfter(alice.socket, conversationId, 0);
    const tablet = await openTab(suite, alice);
    const pushed = nextEvent(tablet.socket, 'message:changed');
    const cleared = await clear(alice.socket, conversationId);
    if (!cleared.ok) throw new Error(cleared.message);
    expect(cleared.count).toBe(count);

    // The push holds the newest, and begins beyond the device's cursor: a gap it fetches.
    const push = await pushed;
    expect(push.messages).toHaveLength(CLEAR_PUSH_MAX);
    expect(push.messages[0]!.seq).toBe(count - CLEAR_PUSH_MAX + 1);
    expect(push.previousChangeSeq).toBe(cleared.changeSeq - CLEAR_PUSH_MAX);
    expect(push.previousChangeSeq).toBeGreaterThan(start.changeSeq);

    const fetched = await changesAfter(tablet.socket, conversationId, start.changeSeq);
    expect(fetched.changeSeq).toBe(cleared.changeSeq);
    expect(new Set(fetched.messages.map((message) => message.seq)).size).toBe(count);
    expect(fetched.messages.every((message) => message.isHidden)).toBe(true);
    // Bob's side is untouched.
    const bobs = await changesAfter(bob.socket, conversationId, 0);
    expect(bobs.messages.filter((message) => message.isHidden)).toEqual([]);
  });

  it('a former member clears what they saw before they went; a stranger finds no such chat', async () => {
    const alice = await person(suite, 'alice');
    const bob = await person(suite, 'bob');
    const mallory = await person(suite, 'mallory');
    const created = await call(alice.socket, 'group:create', {
      title: 'Trip',
      usernames: [bob.user.username],
      clientRequestId: randomUUID(),
    });
    if (!created.ok) throw new Error(created.message);
    const conversationId = created.conversation.id;
    await send(alice, conversationId, 'before');
    const left = await call(bob.socket, 'group:leave', { conversationId });
    expect(left.ok).toBe(true);
    await send(alice, conversationId, 'after');

    const bobsHistory = await history(bob.socket, conversationId);
    const cleared = await clear(bob.socket, conversationId);
    expect(cleared).toMatchObject({
      ok: true,
      upToSeq: bobsHistory.at(-1)!.seq,
      count: bobsHistory.length,
    });
    expect((await history(bob.socket, conversationId)).every((m) => m.isHidden)).toBe(true);
    expect((await history(alice.socket, conversationId)).some((m) => m.isHidden)).toBe(false);

    expect(await clear(mallory.socket, conversationId)).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await clear(mallory.socket, randomUUID())).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await clear(mallory.socket, 'not-a-uuid' as string)).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
  });
});
