// Pinned and archived chats, as in WhatsApp: each person pins up to three chats to the top of
// their own list and archives others; archiving unpins, pinning unarchives; a new message brings
// an archived chat back unless it is muted; every device of the person learns of it at once.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../protocol';
import { call, callRaw, nextEvent } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { openTab, pair, person, send, setupSuite, type Person } from '../helpers/suite';

const suite = setupSuite({ settings: GENEROUS_LIMITS });

async function summaryOf(who: Person, conversationId: string): Promise<ConversationSummary> {
  const list = await call(who.socket, 'conversation:list', {});
  if (!list.ok) throw new Error(list.message);
  const found = list.conversations.find((item) => item.id === conversationId);
  if (!found) throw new Error('not in the list');
  return found;
}

/** A group of one: a conversation of `who`'s own, as many as a test needs. */
async function newGroup(who: Person, title: string): Promise<string> {
  const created = await call(who.socket, 'group:create', {
    title,
    usernames: [],
    clientRequestId: randomUUID(),
  });
  if (!created.ok) throw new Error(created.message);
  return created.conversation.id;
}

function pin(who: Person, conversationId: string, isPinned = true) {
  return call(who.socket, 'conversation:pin', { conversationId, isPinned });
}

function archive(who: Person, conversationId: string, isArchived = true) {
  return call(who.socket, 'conversation:archive', { conversationId, isArchived });
}

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

describe('pinning and archiving', () => {
  it('pins, unpins, archives and unarchives for the person alone; archiving unpins, pinning unarchives', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'hello');

    const pinned = await pin(alice, conversationId);
    expect(pinned).toEqual({
      ok: true,
      conversationId,
      isMuted: false,
      pinnedAt: ISO,
      archivedAt: null,
    });
    expect(await summaryOf(alice, conversationId)).toMatchObject({
      pinnedAt: pinned.ok && pinned.pinnedAt,
      archivedAt: null,
    });
    // Bob's list is his own.
    expect(await summaryOf(bob, conversationId)).toMatchObject({ pinnedAt: null });
    // Pinning again keeps the first time: a retry changes nothing.
    expect(await pin(alice, conversationId)).toEqual(pinned);

    const archived = await archive(alice, conversationId);
    expect(archived).toMatchObject({ ok: true, pinnedAt: null, archivedAt: ISO });
    expect(await summaryOf(alice, conversationId)).toMatchObject({
      pinnedAt: null,
      archivedAt: archived.ok && archived.archivedAt,
    });
    expect(await summaryOf(bob, conversationId)).toMatchObject({ archivedAt: null });

    // Pinning an archived chat brings it back to the list, on top.
    expect(await pin(alice, conversationId)).toMatchObject({
      ok: true,
      pinnedAt: ISO,
      archivedAt: null,
    });
    expect(await pin(alice, conversationId, false)).toMatchObject({ ok: true, pinnedAt: null });
    expect(await archive(alice, conversationId)).toMatchObject({ ok: true, archivedAt: ISO });
    expect(await archive(alice, conversationId, false)).toMatchObject({
      ok: true,
      archivedAt: null,
    });
    expect(await summaryOf(alice, conversationId)).toMatchObject({
      pinnedAt: null,
      archivedAt: null,
      isMuted: false,
    });
  });

  it('pins at most three chats, and a fourth changes nothing', async () => {
    const carol = await person(suite, 'carol');
    const ids = [];
    for (const title of ['one', 'two', 'three', 'four']) ids.push(await newGroup(carol, title));
    const [one, two, three, four] = ids as [string, string, string, string];
    for (const id of [one, two, three]) expect(await pin(carol, id)).toMatchObject({ ok: true });

    expect(await pin(carol, four)).toEqual({
      ok: false,
      code: 'PIN_LIMIT',
      message: 'You can pin up to 3 chats.',
    });
    expect(await summaryOf(carol, four)).toMatchObject({ pinnedAt: null });
    // One already pinned may be pinned again; one unpinned makes room.
    expect(await pin(carol, two)).toMatchObject({ ok: true, pinnedAt: ISO });
    expect(await pin(carol, one, false)).toMatchObject({ ok: true, pinnedAt: null });
    expect(await pin(carol, four)).toMatchObject({ ok: true, pinnedAt: ISO });
    // Archiving unpins, which also makes room.
    expect(await archive(carol, two)).toMatchObject({ ok: true, pinnedAt: null });
    expect(await pin(carol, one)).toMatchObject({ ok: true });
  });

  it('never pins more than three when several pins arrive at once, from two devices', async () => {
    const dave = await person(suite, 'dave');
    const other = await openTab(suite, dave);
    const ids = [];
    for (const title of ['a', 'b', 'c', 'd', 'e']) ids.push(await newGroup(dave, title));
    const answers = await Promise.all(
      ids.map((id, index) =>
        call(index % 2 === 0 ? dave.socket : other.socket, 'conversation:pin', {
          conversationId: id,
          isPinned: true,
        }),
      ),
    );
    expect(answers.filter((answer) => answer.ok)).toHaveLength(3);
    expect(answers.filter((answer) => !answer.ok)).toEqual([
      { ok: false, code: 'PIN_LIMIT', message: 'You can pin up to 3 chats.' },
      { ok: false, code: 'PIN_LIMIT', message: 'You can pin up to 3 chats.' },
    ]);
    const list = await call(dave.socket, 'conversation:list', {});
    expect(list.ok && list.conversations.filter((item) => item.pinnedAt !== null)).toHaveLength(3);
  });

  it('tells a stranger the same as for a conversation that does not exist', async () => {
    const { conversationId } = await pair(suite);
    const eve = await person(suite, 'eve');
    const notFound = { ok: false, code: 'NOT_FOUND', message: 'No such conversation.' };
    for (const [event, payload] of [
      ['conversation:mute', { isMuted: true }],
      ['conversation:pin', { isPinned: true }],
      ['conversation:pin', { isPinned: false }],
      ['conversation:archive', { isArchived: true }],
      ['conversation:archive', { isArchived: false }],
    ] as const) {
      expect(await callRaw(eve.socket, event, { conversationId, ...payload }), event).toEqual(
        notFound,
      );
      expect(
        await callRaw(eve.socket, event, { conversationId: randomUUID(), ...payload }),
        event,
      ).toEqual(notFound);
    }
  });

  it('refuses bad input with a sentence that names the field', async () => {
    const { alice, conversationId } = await pair(suite);
    expect(
      await callRaw(alice.socket, 'conversation:pin', { conversationId, isPinned: 'yes' }),
    ).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'isPinned must be true or false.',
      field: 'isPinned',
    });
    expect(await callRaw(alice.socket, 'conversation:archive', { conversationId })).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'isArchived must be true or false.',
      field: 'isArchived',
    });
    expect(
      await callRaw(alice.socket, 'conversation:archive', {
        conversationId: 'nope',
        isArchived: true,
      }),
    ).toMatchObject({ ok: false, code: 'BAD_REQUEST', field: 'conversationId' });
    expect(await summaryOf(alice, conversationId)).toMatchObject({
      pinnedAt: null,
      archivedAt: null,
    });
  });

  it('tells the person’s other devices at once, and nobody else', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'hi');
    const phone = await openTab(suite, alice);
    const bobHeard: unknown[] = [];
    bob.socket.on('conversation:updated', (flags) => bobHeard.push(flags));

    let heard = nextEvent(phone.socket, 'conversation:updated');
    const pinned = await pin(alice, conversationId);
    expect(await heard).toEqual({
      conversationId,
      isMuted: false,
      pinnedAt: pinned.ok && pinned.pinnedAt,
      archivedAt: null,
    });

    heard = nextEvent(phone.socket, 'conversation:updated');
    const archived = await archive(alice, conversationId);
    expect(await heard).toEqual({
      conversationId,
      isMuted: false,
      pinnedAt: null,
      archivedAt: archived.ok && archived.archivedAt,
    });

    heard = nextEvent(phone.socket, 'conversation:updated');
    await call(alice.socket, 'conversation:mute', { conversationId, isMuted: true });
    expect(await heard).toMatchObject({ conversationId, isMuted: true, archivedAt: ISO });

    // Bob got none of it: a message from alice after the changes reaches him after them.
    const barrier = nextEvent(bob.socket, 'message:created');
    await send(alice, conversationId, 'done');
    await barrier;
    expect(bobHeard).toEqual([]);
  });
});

describe('a new message in an archived chat', () => {
  it('brings it back when it is not muted, and leaves it archived when it is', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(bob, conversationId, 'first');
    const archived = await archive(alice, conversationId);
    expect(archived).toMatchObject({ ok: true, archivedAt: ISO });
    expect(await summaryOf(alice, conversationId)).toMatchObject({ archivedAt: ISO });

    // Not muted: the next message brings it back (worked out when read: nothing is written).
    await send(bob, conversationId, 'are you there?');
    expect(await summaryOf(alice, conversationId)).toMatchObject({ archivedAt: null });
    const one = await call(alice.socket, 'conversation:get', { conversationId });
    expect(one.ok && one.conversation.archivedAt).toBeNull();

    // Muted: it stays archived, and unmuting it keeps it there until the next message.
    await call(alice.socket, 'conversation:mute', { conversationId, isMuted: true });
    await archive(alice, conversationId);
    await send(bob, conversationId, 'hello?');
    expect(await summaryOf(alice, conversationId)).toMatchObject({
      isMuted: true,
      archivedAt: ISO,
    });
    const unmuted = await call(alice.socket, 'conversation:mute', {
      conversationId,
      isMuted: false,
    });
    expect(unmuted).toMatchObject({ ok: true, isMuted: false, archivedAt: ISO });
    expect(await summaryOf(alice, conversationId)).toMatchObject({ archivedAt: ISO });
    await send(bob, conversationId, 'now?');
    expect(await summaryOf(alice, conversationId)).toMatchObject({ archivedAt: null });

    // Brought back, then muted: it stays in the list (the old archiving is forgotten).
    const muted = await call(alice.socket, 'conversation:mute', { conversationId, isMuted: true });
    expect(muted).toMatchObject({ ok: true, isMuted: true, archivedAt: null });
    expect(await summaryOf(alice, conversationId)).toMatchObject({ archivedAt: null });
    // Alice's own message brings hers back as well; bob never archived his.
    await call(alice.socket, 'conversation:mute', { conversationId, isMuted: false });
    await archive(alice, conversationId);
    await send(alice, conversationId, 'back');
    expect(await summaryOf(alice, conversationId)).toMatchObject({ archivedAt: null });
    expect(await summaryOf(bob, conversationId)).toMatchObject({ archivedAt: null });
  });
});
