// Blocking: the blocked person can neither start a direct chat with the blocker nor send to
// their direct chat (nor the blocker to them until they unblock), nothing is stored, and each
// is told why; neither sees the other's presence, nor the blocked one the blocker's profile
// changes; groups they share keep working; unblocking undoes it all.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listStoredMessages } from '../../db/seed';
import { call, nextEvent } from '../helpers/client';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { pair, person, send, setupSuite, type Person } from '../helpers/suite';

const suite = setupSuite({ settings: GENEROUS_LIMITS });

function sendRaw(who: Person, conversationId: string, body: string) {
  return call(who.socket, 'message:send', { conversationId, clientMsgId: randomUUID(), body });
}

describe('blocking', () => {
  it('stops the direct chat both ways, with a clear reason, and stores nothing', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'before');
    const group = await call(alice.socket, 'group:create', {
      title: 'Both of us',
      usernames: [bob.user.username],
      clientRequestId: randomUUID(),
    });
    if (!group.ok) throw new Error(group.message);

    const blocked = await call(alice.socket, 'block:add', { userId: bob.user.id });
    expect(blocked).toMatchObject({
      ok: true,
      blocked: [{ id: bob.user.id, username: bob.user.username }],
    });

    expect(await sendRaw(bob, conversationId, 'let me in')).toMatchObject({
      ok: false,
      code: 'BLOCKED',
      message: 'You cannot send messages to this person.',
    });
    expect(await sendRaw(alice, conversationId, 'oops')).toMatchObject({
      ok: false,
      code: 'BLOCKED',
      message: 'You blocked this person. Unblock them to send a message.',
    });
    expect(
      await call(bob.socket, 'conversation:start', { username: alice.user.username }),
    ).toMatchObject({
      ok: false,
      code: 'BLOCKED',
      message: 'You cannot start a chat with this person.',
    });
    // The group they share works as before, but nothing of it can be forwarded to alice.
    const inGroup = await send(bob, group.conversation.id, 'still here');
    const forwarded = await call(bob.socket, 'message:forward', {
      conversationId: group.conversation.id,
      seqs: [inGroup.seq],
      targets: [{ conversationId, clientMsgIds: [randomUUID()] }],
    });
    expect(forwarded).toMatchObject({ ok: false, code: 'BLOCKED' });
    const stored = await listStoredMessages(suite.server.database.db, conversationId);
    expect(stored.map((message) => message.body)).toEqual(['before']);

    // Unblocked, the direct chat works again.
    expect(await call(alice.socket, 'block:remove', { userId: bob.user.id })).toEqual({
      ok: true,
      blocked: [],
    });
    await send(bob, conversationId, 'hello again');
    await send(alice, conversationId, 'welcome back');
  });

  it('hides presence both ways and the blocker’s profile changes from the blocked', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    await send(alice, conversationId, 'hi');
    const before = await call(bob.socket, 'presence:query', { userIds: [alice.user.id] });
    expect(before).toMatchObject({
      ok: true,
      presence: [{ userId: alice.user.id, isOnline: true }],
    });

    // (The first message's introduction of the two, online, may still be on its way.)
    const goneBlank = nextEvent(
      bob.socket,
      'presence:updated',
      (p) => p.userId === alice.user.id && !p.isOnline,
    );
    const block = await call(alice.socket, 'block:add', { userId: bob.user.id });
    expect(block.ok).toBe(true);
    expect(await goneBlank).toEqual({ userId: alice.user.id, isOnline: false, lastSeenAt: null });
    expect(await call(bob.socket, 'presence:query', { userIds: [alice.user.id] })).toEqual({
      ok: true,
      presence: [],
    });
    expect(await call(alice.socket, 'presence:query', { userIds: [bob.user.id] })).toEqual({
      ok: true,
      presence: [],
    });

    let bobHeard = false;
    bob.socket.on('user:updated', () => (bobHeard = true));
    const renamed = await call(alice.socket, 'profile:update', { displayName: 'Private Alice' });
    expect(renamed.ok).toBe(true);
    expect(await call(bob.socket, 'people:get', { userIds: [alice.user.id] })).toEqual({
      ok: true,
      people: [],
    });

    // Unblocked: presence again, told at once.
    const back = nextEvent(bob.socket, 'presence:updated', (p) => p.userId === alice.user.id);
    expect((await call(alice.socket, 'block:remove', { userId: bob.user.id })).ok).toBe(true);
    expect(await back).toMatchObject({ userId: alice.user.id, isOnline: true });
    expect(bobHeard).toBe(false);
  });

  it('closes a direct chat opened after the block, and keeps it closed while either blocks', async () => {
    const alice = await person(suite, 'alice');
    const dana = await person(suite, 'dana');
    expect((await call(alice.socket, 'block:add', { userId: dana.user.id })).ok).toBe(true);
    const started = await call(alice.socket, 'conversation:start', {
      username: dana.user.username,
    });
    if (!started.ok) throw new Error(started.message);
    const conversationId = started.conversation.id;
    expect(await sendRaw(alice, conversationId, 'hi')).toMatchObject({ code: 'BLOCKED' });

    // Blocked both ways: one unblocking is not enough.
    expect((await call(dana.socket, 'block:add', { userId: alice.user.id })).ok).toBe(true);
    expect((await call(alice.socket, 'block:remove', { userId: dana.user.id })).ok).toBe(true);
    expect(await sendRaw(alice, conversationId, 'hi')).toMatchObject({
      code: 'BLOCKED',
      message: 'You cannot send messages to this person.',
    });
    expect((await call(dana.socket, 'block:remove', { userId: alice.user.id })).ok).toBe(true);
    await send(alice, conversationId, 'hi at last');
  });

  it('hides reads between the two while either blocks, and shows them again after', async () => {
    const { alice, bob, conversationId } = await pair(suite);
    const message = await send(bob, conversationId, 'did you read this?');
    expect(
      (await call(alice.socket, 'conversation:mark-read', { conversationId, seq: message.seq })).ok,
    ).toBe(true);
    const readBy = async () => {
      const receipts = await call(bob.socket, 'message:receipts', {
        conversationId,
        seq: message.seq,
      });
      if (!receipts.ok) throw new Error(receipts.message);
      const list = await call(bob.socket, 'conversation:list', {});
      const summary = list.ok
        ? list.conversations.find((item) => item.id === conversationId)
        : undefined;
      return {
        readBy: receipts.receipts.readBy.map((user) => user.id),
        readByAllSeq: summary?.readByAllSeq,
      };
    };
    expect(await readBy()).toEqual({ readBy: [alice.user.id], readByAllSeq: message.seq });

    expect((await call(alice.socket, 'block:add', { userId: bob.user.id })).ok).toBe(true);
    expect(await readBy()).toEqual({ readBy: [], readByAllSeq: 0 });

    expect((await call(alice.socket, 'block:remove', { userId: bob.user.id })).ok).toBe(true);
    expect(await readBy()).toEqual({ readBy: [alice.user.id], readByAllSeq: message.seq });
  });

  it('lists whom one blocked, and refuses bad requests', async () => {
    const { alice, bob } = await pair(suite);
    const carol = await person(suite, 'carol');
    await call(alice.socket, 'block:add', { userId: carol.user.id });
    await call(alice.socket, 'block:add', { userId: bob.user.id });
    // Blocking twice changes nothing.
    await call(alice.socket, 'block:add', { userId: bob.user.id });
    const list = await call(alice.socket, 'block:list', {});
    expect(list.ok && list.blocked.map((profile) => profile.id).sort()).toEqual(
      [bob.user.id, carol.user.id].sort(),
    );
    expect(await call(bob.socket, 'block:list', {})).toEqual({ ok: true, blocked: [] });

    expect(await call(alice.socket, 'block:add', { userId: alice.user.id })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'You cannot block yourself.',
    });
    expect(await call(alice.socket, 'block:add', { userId: randomUUID() })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
      message: 'No such user.',
    });
    expect(await call(alice.socket, 'block:add', { userId: 'bob' })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'Must be a UUID.',
    });
    // Unblocking someone not blocked changes nothing.
    expect(await call(bob.socket, 'block:remove', { userId: alice.user.id })).toEqual({
      ok: true,
      blocked: [],
    });
  });
});
