// Groups: roles, system messages, the size limit (with the concurrent-add race), receipts,
// and every rule that keeps non-members out.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol';
import { call, callRaw, nextEvent } from '../helpers/client';
import { openTab, person, send, setupSuite, type Person } from '../helpers/suite';

const MAX_GROUP_SIZE = 5;
const suite = setupSuite({ settings: { maxGroupSize: MAX_GROUP_SIZE } });

async function group(creator: Person, members: Person[], title = 'Trip') {
  const created = await call(creator.socket, 'group:create', {
    title,
    usernames: members.map((member) => member.user.username),
    clientRequestId: randomUUID(),
  });
  if (!created.ok) throw new Error(`${created.code}: ${created.message}`);
  return created.conversation;
}

async function history(who: Person, conversationId: string, extra: object = {}) {
  const result = await call(who.socket, 'message:history', { conversationId, ...extra });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.messages;
}

const texts = (messages: Message[]) => messages.map((message) => message.body);

/**
 * Waits for a marker message in a direct conversation sent after `action`: a socket receives
 * in order, so anything the action sent to it would have arrived first.
 */
async function receivedBefore(receiver: Person, sender: Person, action: () => Promise<unknown>) {
  const direct = await call(sender.socket, 'conversation:start', {
    username: receiver.user.username,
  });
  if (!direct.ok) throw new Error(direct.message);
  const seen: Message[] = [];
  const listener = (message: Message) => seen.push(message);
  receiver.socket.on('message:created', listener);
  await action();
  const marker = nextEvent(
    receiver.socket,
    'message:created',
    (message) => message.body === 'marker',
  );
  await send(sender, direct.conversation.id, 'marker');
  await marker;
  receiver.socket.off('message:created', listener);
  return seen.filter((message) => message.body !== 'marker');
}

describe('creating a group', () => {
  it('makes the creator the first admin and records it in the timeline', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const bobSees = nextEvent(bob!.socket, 'message:created', (message) => message.seq === 2);
    const conversation = await group(alice!, [bob!, carol!]);
    expect(conversation).toMatchObject({
      kind: 'group',
      title: 'Trip',
      memberCount: 3,
      myRole: 'admin',
      peer: null,
    });
    expect((await bobSees).body).toBe(
      `${alice!.user.username} added ${bob!.user.username} and ${carol!.user.username}`,
    );

    const timeline = await history(carol!, conversation.id);
    expect(timeline.map((message) => [message.seq, message.kind])).toEqual([
      [1, 'system'],
      [2, 'system'],
    ]);
    expect(timeline[0]!.body).toBe(`${alice!.user.username} created the group “Trip”`);
    const members = await call(bob!.socket, 'group:members', { conversationId: conversation.id });
    expect(members.ok && members.members.map((member) => [member.username, member.role])).toEqual([
      [alice!.user.username, 'admin'],
      ...[bob!, carol!].map((member) => [member.user.username, 'member']).sort(),
    ]);
    const list = await call(carol!.socket, 'conversation:get', { conversationId: conversation.id });
    expect(list).toMatchObject({
      ok: true,
      conversation: { title: 'Trip', myRole: 'member', memberCount: 3 },
    });
  });

  it('refuses an unknown member, a blank name and a group over the limit, creating nothing', async () => {
    const alice = await person(suite, 'alice');
    expect(
      await call(alice.socket, 'group:create', {
        title: 'X',
        usernames: ['no_such_user_x'],
        clientRequestId: randomUUID(),
      }),
    ).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'There is no user named “no_such_user_x”.',
    });
    expect(
      await callRaw(alice.socket, 'group:create', {
        title: '   ',
        usernames: [],
        clientRequestId: randomUUID(),
      }),
    ).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'Give the group a name.',
      field: 'title',
    });
    const others = await Promise.all(
      Array.from({ length: MAX_GROUP_SIZE }, () => person(suite, 'm')),
    );
    expect(
      await call(alice.socket, 'group:create', {
        title: 'Too big',
        usernames: others.map((o) => o.user.username),
        clientRequestId: randomUUID(),
      }),
    ).toEqual({
      ok: false,
      code: 'GROUP_FULL',
      message: `This group is full: a group can have at most ${MAX_GROUP_SIZE} members.`,
    });
    const list = await call(alice.socket, 'conversation:list', {});
    expect(list.ok && list.conversations).toEqual([]);
  });
});

describe('members', () => {
  it('added later see the group from the message that added them', async () => {
    const [alice, bob, dave] = await Promise.all(
      ['alice', 'bob', 'dave'].map((name) => person(suite, name)),
    );
    const conversation = await group(alice!, [bob!]);
    await send(alice!, conversation.id, 'before dave');
    const added = await call(alice!.socket, 'group:add-members', {
      conversationId: conversation.id,
      usernames: [dave!.user.username],
    });
    expect(added).toMatchObject({ ok: true, conversation: { memberCount: 3 } });
    await send(bob!, conversation.id, 'welcome dave');
    expect(texts(await history(dave!, conversation.id))).toEqual([
      `${alice!.user.username} added ${dave!.user.username}`,
      'welcome dave',
    ]);
    expect(await history(dave!, conversation.id, { beforeSeq: 4 })).toEqual([]);
    expect(texts(await history(dave!, conversation.id, { afterSeq: 0 }))).toHaveLength(2);
    expect(texts(await history(bob!, conversation.id))).toContain('before dave');
  });

  it('can only be changed by admins', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const conversation = await group(alice!, [bob!]);
    const forbidden = { ok: false, code: 'FORBIDDEN', message: 'Only group admins can do that.' };
    const id = conversation.id;
    expect(
      await call(bob!.socket, 'group:add-members', {
        conversationId: id,
        usernames: [carol!.user.username],
      }),
    ).toEqual(forbidden);
    expect(
      await call(bob!.socket, 'group:remove-member', {
        conversationId: id,
        userId: alice!.user.id,
      }),
    ).toEqual(forbidden);
    expect(
      await call(bob!.socket, 'group:set-role', {
        conversationId: id,
        userId: bob!.user.id,
        role: 'admin',
      }),
    ).toEqual(forbidden);
    const after = await call(alice!.socket, 'conversation:get', { conversationId: id });
    expect(after).toMatchObject({ ok: true, conversation: { lastSeq: 2, memberCount: 2 } });
  });

  it('promoted and demoted by admins, never down to no admin at all', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const conversation = await group(alice!, [bob!]);
    const id = conversation.id;
    expect(
      await call(alice!.socket, 'group:set-role', {
        conversationId: id,
        userId: alice!.user.id,
        role: 'member',
      }),
    ).toEqual({
      ok: false,
      code: 'LAST_ADMIN',
      message: 'A group needs at least one admin. Make someone else an admin first.',
    });
    expect(
      await call(alice!.socket, 'group:set-role', {
        conversationId: id,
        userId: bob!.user.id,
        role: 'admin',
      }),
    ).toMatchObject({ ok: true });
    expect(
      await call(bob!.socket, 'group:set-role', {
        conversationId: id,
        userId: alice!.user.id,
        role: 'member',
      }),
    ).toMatchObject({
      ok: true,
      conversation: { myRole: 'admin' },
    });
    expect(texts(await history(alice!, id)).slice(2)).toEqual([
      `${alice!.user.username} made ${bob!.user.username} an admin`,
      `${bob!.user.username} removed ${alice!.user.username} as admin`,
    ]);
  });

  it('who leave as the last admin hand the group to the longest-standing member, visibly', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const conversation = await group(alice!, [bob!]);
    await call(alice!.socket, 'group:add-members', {
      conversationId: conversation.id,
      usernames: [carol!.user.username],
    });
    const removed = nextEvent(alice!.socket, 'conversation:removed');
    expect(await call(alice!.socket, 'group:leave', { conversationId: conversation.id })).toEqual({
      ok: true,
    });
    expect(await removed).toMatchObject({ conversationId: conversation.id, membership: 'left' });
    expect(texts(await history(carol!, conversation.id)).slice(-2)).toEqual([
      `${alice!.user.username} left`,
      `${bob!.user.username} is now an admin`,
    ]);
    const members = await call(carol!.socket, 'group:members', { conversationId: conversation.id });
    expect(members.ok && members.members.map((member) => member.role)).toEqual(['admin', 'member']);
  });
});

describe('a removed member', () => {
  it('keeps the history up to the removal, read-only, and nothing after it reaches them', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const conversation = await group(alice!, [bob!, carol!]);
    const id = conversation.id;
    await send(alice!, id, 'before the removal');
    const removal = `${alice!.user.username} removed ${bob!.user.username}`;
    const bobSeesRemoval = nextEvent(bob!.socket, 'message:created', (m) => m.body === removal);
    const told = nextEvent(bob!.socket, 'conversation:removed');
    expect(
      await call(alice!.socket, 'group:remove-member', {
        conversationId: id,
        userId: bob!.user.id,
      }),
    ).toMatchObject({
      ok: true,
      conversation: { memberCount: 2 },
    });
    const removalMessage = await bobSeesRemoval;
    expect(await told).toEqual({
      conversationId: id,
      membership: 'removed',
      lastSeq: removalMessage.seq,
    });

    // Nothing after the removal reaches bob: messages, typing, members.
    const typing: unknown[] = [];
    bob!.socket.on('typing:updated', (update) => typing.push(update));
    const leaked = await receivedBefore(bob!, alice!, async () => {
      await call(carol!.socket, 'typing:start', { conversationId: id });
      await send(alice!, id, 'after the removal');
      await call(alice!.socket, 'group:set-role', {
        conversationId: id,
        userId: carol!.user.id,
        role: 'admin',
      });
    });
    bob!.socket.off('typing:updated');
    expect(leaked).toEqual([]);
    expect(typing).toEqual([]);

    // He keeps the history up to and including his removal, and the group in his list.
    const kept = [
      `${alice!.user.username} created the group “Trip”`,
      `${alice!.user.username} added ${bob!.user.username} and ${carol!.user.username}`,
      'before the removal',
      removal,
    ];
    expect(texts(await history(bob!, id))).toEqual(kept);
    expect(await call(bob!.socket, 'message:history', { conversationId: id, afterSeq: 2 })).toEqual(
      {
        ok: true,
        messages: (await history(bob!, id)).slice(2),
        hasMore: false,
      },
    );
    expect(
      await call(bob!.socket, 'message:history', {
        conversationId: id,
        afterSeq: removalMessage.seq,
      }),
    ).toEqual({ ok: true, messages: [], hasMore: false });
    const listed = await call(bob!.socket, 'conversation:list', {});
    expect(listed.ok && listed.conversations.find((item) => item.id === id)).toMatchObject({
      membership: 'removed',
      lastSeq: removalMessage.seq,
      unreadCount: 0,
      memberCount: 0,
      lastMessage: { body: removal },
    });

    // Read-only: sending says why; everything else is as for a stranger.
    expect(
      await call(bob!.socket, 'message:send', {
        conversationId: id,
        clientMsgId: randomUUID(),
        body: 'hi?',
      }),
    ).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'You are no longer a member of this group.',
    });
    const notFound = { ok: false, code: 'NOT_FOUND', message: 'No such conversation.' };
    expect(await call(bob!.socket, 'group:members', { conversationId: id })).toEqual(notFound);
    expect(await call(bob!.socket, 'typing:start', { conversationId: id })).toEqual(notFound);
    expect(
      await call(bob!.socket, 'conversation:mark-read', { conversationId: id, seq: 1 }),
    ).toEqual(notFound);
    expect(texts(await history(carol!, id)).slice(-3)).toEqual([
      removal,
      'after the removal',
      `${alice!.user.username} made ${carol!.user.username} an admin`,
    ]);
    const members = await call(alice!.socket, 'group:members', { conversationId: id });
    expect(members.ok && members.members).toHaveLength(2);
  });

  it('who is added again is a member anew, from the message that added them', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const conversation = await group(alice!, [bob!]);
    const id = conversation.id;
    await call(alice!.socket, 'group:remove-member', { conversationId: id, userId: bob!.user.id });
    await send(alice!, id, 'while bob was away');
    const added = await call(alice!.socket, 'group:add-members', {
      conversationId: id,
      usernames: [bob!.user.username],
    });
    expect(added).toMatchObject({ ok: true, conversation: { memberCount: 2 } });
    const listed = await call(bob!.socket, 'conversation:list', {});
    expect(listed.ok && listed.conversations.filter((item) => item.id === id)).toMatchObject([
      { membership: 'member', memberCount: 2 },
    ]);
    expect(texts(await history(bob!, id))).toEqual([
      `${alice!.user.username} added ${bob!.user.username}`,
    ]);
    await send(bob!, id, 'back');
    expect(texts(await history(alice!, id)).slice(-2)).toEqual([
      `${alice!.user.username} added ${bob!.user.username}`,
      'back',
    ]);
  });

  it('who left keeps the history up to their leaving, on every device', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const conversation = await group(alice!, [bob!]);
    const id = conversation.id;
    const otherDevice = await openTab(suite, bob!);
    const left = `${bob!.user.username} left`;
    const seen = nextEvent(otherDevice.socket, 'message:created', (m) => m.body === left);
    const told = nextEvent(otherDevice.socket, 'conversation:removed');
    expect(await call(bob!.socket, 'group:leave', { conversationId: id })).toEqual({ ok: true });
    const leaving = await seen;
    expect(await told).toEqual({ conversationId: id, membership: 'left', lastSeq: leaving.seq });
    expect(texts(await history(bob!, id)).at(-1)).toBe(left);
    const listed = await call(bob!.socket, 'conversation:list', {});
    expect(listed.ok && listed.conversations.find((item) => item.id === id)).toMatchObject({
      membership: 'left',
      lastSeq: leaving.seq,
    });
  });
});

describe('creating a group again with the same clientRequestId', () => {
  it('returns the group the first try created, creating nothing; another id creates another', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const aliceTab2 = await openTab(suite, alice!);
    const request = {
      title: 'Once',
      usernames: [bob!.user.username],
      clientRequestId: randomUUID(),
    };
    const first = await call(alice!.socket, 'group:create', request);
    if (!first.ok) throw new Error(first.message);
    // The answer was lost, say: tried again, at once from two tabs.
    const retries = await Promise.all([
      call(alice!.socket, 'group:create', request),
      call(aliceTab2.socket, 'group:create', request),
    ]);
    for (const retry of retries) {
      expect(retry).toMatchObject({ ok: true, conversation: { id: first.conversation.id } });
    }
    const listed = await call(bob!.socket, 'conversation:list', {});
    const titled = (listed.ok ? listed.conversations : []).filter((item) => item.title === 'Once');
    expect(titled.map((item) => item.id)).toEqual([first.conversation.id]);
    expect(texts(await history(bob!, first.conversation.id))).toHaveLength(2);

    const other = await call(alice!.socket, 'group:create', {
      ...request,
      clientRequestId: randomUUID(),
    });
    expect(other.ok && other.conversation.id).not.toBe(first.conversation.id);
    // The same id from someone else is theirs: it creates their own group.
    const bobs = await call(bob!.socket, 'group:create', { ...request, usernames: [] });
    expect(bobs.ok && bobs.conversation.id).not.toBe(first.conversation.id);
  });
});

describe('a member who removes themselves', () => {
  it('leaves: the ack is ok, their other devices and the members are told live, a retry answers the same', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const bobsPhone = await openTab(suite, bob!);
    const conversation = await group(alice!, [bob!]);
    const id = conversation.id;
    const phoneTold = nextEvent(bobsPhone.socket, 'conversation:removed');
    const aliceSees = nextEvent(alice!.socket, 'message:created', (message) => message.seq === 3);
    const request = { conversationId: id, userId: bob!.user.id };
    const first = await call(bob!.socket, 'group:remove-member', request);
    expect(first).toEqual({ ok: true, conversation: null });
    expect(await phoneTold).toEqual({ conversationId: id, membership: 'left', lastSeq: 3 });
    expect(await aliceSees).toMatchObject({
      conversationId: id,
      kind: 'system',
      body: `${bob!.user.username} left`,
    });
    // The ack was lost, say: the retry finds the change made, answers it again, and tells the
    // devices again.
    const toldAgain = nextEvent(bobsPhone.socket, 'conversation:removed');
    expect(await call(bob!.socket, 'group:remove-member', request)).toEqual(first);
    expect(await toldAgain).toEqual({ conversationId: id, membership: 'left', lastSeq: 3 });
    expect(await call(bob!.socket, 'group:leave', { conversationId: id })).toEqual({ ok: true });
    expect(texts(await history(alice!, id)).slice(2)).toEqual([`${bob!.user.username} left`]);
  });
});

describe('someone who was never a member', () => {
  it('gets the answer of a group that does not exist, for everything, and receives nothing', async () => {
    const [alice, bob, eve] = await Promise.all(
      ['alice', 'bob', 'eve'].map((name) => person(suite, name)),
    );
    const conversation = await group(alice!, [bob!]);
    const id = conversation.id;
    const missing = randomUUID();
    const attempts: [string, (conversationId: string) => object][] = [
      ['message:history', (conversationId) => ({ conversationId })],
      [
        'message:send',
        (conversationId) => ({ conversationId, clientMsgId: randomUUID(), body: 'let me in' }),
      ],
      ['message:receipts', (conversationId) => ({ conversationId, seq: 1 })],
      ['group:members', (conversationId) => ({ conversationId })],
      [
        'group:add-members',
        (conversationId) => ({ conversationId, usernames: [eve!.user.username] }),
      ],
      ['group:remove-member', (conversationId) => ({ conversationId, userId: alice!.user.id })],
      [
        'group:set-role',
        (conversationId) => ({ conversationId, userId: eve!.user.id, role: 'admin' }),
      ],
      ['conversation:get', (conversationId) => ({ conversationId })],
      ['conversation:mark-read', (conversationId) => ({ conversationId, seq: 1 })],
      ['conversation:mark-delivered', (conversationId) => ({ conversationId, seq: 1 })],
      ['typing:start', (conversationId) => ({ conversationId })],
    ];
    for (const [event, payload] of attempts) {
      const foreign = await callRaw(eve!.socket, event, payload(id));
      const absent = await callRaw(eve!.socket, event, payload(missing));
      expect(foreign, event).toEqual({
        ok: false,
        code: 'NOT_FOUND',
        message: 'No such conversation.',
      });
      expect(absent, event).toEqual(foreign);
    }
    // Leaving is done when you are not in the group: the same answer whether it exists or not.
    const left = await call(eve!.socket, 'group:leave', { conversationId: id });
    expect(left).toEqual({ ok: true });
    expect(await call(eve!.socket, 'group:leave', { conversationId: missing })).toEqual(left);
    expect(await receivedBefore(eve!, alice!, () => send(alice!, id, 'members only'))).toEqual([]);
    const after = await call(alice!.socket, 'group:members', { conversationId: id });
    expect(after.ok && after.members).toHaveLength(2);
  });
});

describe('the size limit', () => {
  it('holds when many admins add members at the same moment', async () => {
    const alice = await person(suite, 'alice');
    const tabs = [alice, ...(await Promise.all([1, 2, 3].map(() => openTab(suite, alice))))];
    const first = await person(suite, 'first');
    const conversation = await group(alice, [first]);
    const candidates = await Promise.all(Array.from({ length: 8 }, () => person(suite, 'c')));
    // 8 adds race for the 3 places left (the limit is 5).
    const results = await Promise.all(
      candidates.map((candidate, index) =>
        call(tabs[index % tabs.length]!.socket, 'group:add-members', {
          conversationId: conversation.id,
          usernames: [candidate.user.username],
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(MAX_GROUP_SIZE - 2);
    for (const refused of results.filter((result) => !result.ok)) {
      expect(refused).toMatchObject({ code: 'GROUP_FULL' });
    }
    const members = await call(alice.socket, 'group:members', { conversationId: conversation.id });
    expect(members.ok && members.members).toHaveLength(MAX_GROUP_SIZE);
    const timeline = await history(alice, conversation.id);
    expect(timeline.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses an add that would pass it as a whole: nobody is added', async () => {
    const alice = await person(suite, 'alice');
    const conversation = await group(alice, [await person(suite, 'one')]);
    const three = await Promise.all([1, 2, 3, 4].map(() => person(suite, 'x')));
    expect(
      await call(alice.socket, 'group:add-members', {
        conversationId: conversation.id,
        usernames: three.map((member) => member.user.username),
      }),
    ).toMatchObject({ ok: false, code: 'GROUP_FULL' });
    const members = await call(alice.socket, 'group:members', { conversationId: conversation.id });
    expect(members.ok && members.members).toHaveLength(2);
  });
});

describe('group receipts', () => {
  it('show two ticks only when every member has it, and who read, received or waits', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const conversation = await group(alice!, [bob!, carol!]);
    const id = conversation.id;
    const message = await send(alice!, id, 'hello all');
    await call(bob!.socket, 'conversation:mark-delivered', {
      conversationId: id,
      seq: message.seq,
    });
    let summary = await call(alice!.socket, 'conversation:get', { conversationId: id });
    expect(summary.ok && summary.conversation.deliveredToAllSeq).toBeLessThan(message.seq);

    const everyone = nextEvent(
      alice!.socket,
      'receipt:updated',
      (receipt) => receipt.deliveredToAllSeq >= message.seq,
    );
    await call(carol!.socket, 'conversation:mark-read', { conversationId: id, seq: message.seq });
    expect(await everyone).toMatchObject({
      deliveredToAllSeq: message.seq,
      readByAllSeq: 0, // bob has read nothing yet
    });
    summary = await call(alice!.socket, 'conversation:get', { conversationId: id });
    expect(summary).toMatchObject({ ok: true, conversation: { deliveredToAllSeq: message.seq } });

    const receipts = await call(alice!.socket, 'message:receipts', {
      conversationId: id,
      seq: message.seq,
    });
    expect(receipts).toEqual({
      ok: true,
      receipts: {
        readBy: [{ id: carol!.user.id, username: carol!.user.username }],
        deliveredTo: [{ id: bob!.user.id, username: bob!.user.username }],
        pending: [],
      },
    });
  });
});

describe('group info', () => {
  it('lets members rename and describe the group, each change recorded and seen by all', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const chat = await group(alice!, [bob!]);
    const bobSees = nextEvent(
      bob!.socket,
      'message:created',
      (message) => message.kind === 'system' && message.body.includes('name'),
    );
    const renamed = await call(bob!.socket, 'group:update', {
      conversationId: chat.id,
      title: '  Summer trip ',
      description: 'Where and when.\nBring boots.',
    });
    expect(renamed).toMatchObject({
      ok: true,
      conversation: { title: 'Summer trip', description: 'Where and when.\nBring boots.' },
    });
    expect((await bobSees).body).toBe(
      `${bob!.user.username} changed the group name to “Summer trip”`,
    );
    const list = await call(alice!.socket, 'conversation:list', {});
    expect(list.ok && list.conversations.find((item) => item.id === chat.id)).toMatchObject({
      title: 'Summer trip',
      description: 'Where and when.\nBring boots.',
    });
    expect(texts(await history(alice!, chat.id)).slice(-2)).toEqual([
      `${bob!.user.username} changed the group name to “Summer trip”`,
      `${bob!.user.username} changed the group description`,
    ]);
    // The same again changes nothing and records nothing.
    const lastSeq = (await history(alice!, chat.id)).at(-1)!.seq;
    expect(
      (await call(bob!.socket, 'group:update', { conversationId: chat.id, title: 'Summer trip' }))
        .ok,
    ).toBe(true);
    expect((await history(alice!, chat.id)).at(-1)!.seq).toBe(lastSeq);
  });

  it('lets admins keep the info to themselves', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const chat = await group(alice!, [bob!]);
    expect(
      await call(bob!.socket, 'group:update', { conversationId: chat.id, isInfoAdminsOnly: true }),
    ).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Only group admins can choose who may change the group info.',
    });
    const locked = await call(alice!.socket, 'group:update', {
      conversationId: chat.id,
      isInfoAdminsOnly: true,
    });
    expect(locked).toMatchObject({ ok: true, conversation: { isInfoAdminsOnly: true } });
    expect(
      await call(bob!.socket, 'group:update', { conversationId: chat.id, title: 'Mine now' }),
    ).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Only group admins can change the group name and description.',
    });
    expect(texts(await history(bob!, chat.id)).at(-1)).toBe(
      `${alice!.user.username} allowed only admins to change the group name and description`,
    );
    expect(
      (await call(alice!.socket, 'group:update', { conversationId: chat.id, description: '' })).ok,
    ).toBe(true);
  });

  it('refuses bad values, strangers and direct chats', async () => {
    const [alice, bob, eve] = await Promise.all(
      ['alice', 'bob', 'eve'].map((name) => person(suite, name)),
    );
    const chat = await group(alice!, [bob!]);
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '   ' }, 'Give the group a name.'],
      [{ title: 'x'.repeat(65) }, 'Group names are at most 64 characters.'],
      [{ description: 'x'.repeat(513) }, 'A description is at most 512 characters.'],
      [{ description: 'tab\there' }, 'A description cannot contain control characters.'],
      [{}, 'Give title, description, isInfoAdminsOnly, isSendAdminsOnly or more of them.'],
      [{ isSendAdminsOnly: 1 }, 'isSendAdminsOnly must be true or false.'],
      [{ isInfoAdminsOnly: 'yes' }, 'isInfoAdminsOnly must be true or false.'],
    ];
    for (const [change, message] of cases) {
      const ack = await call(alice!.socket, 'group:update', {
        conversationId: chat.id,
        ...change,
      } as { conversationId: string });
      expect(ack, JSON.stringify(change)).toMatchObject({
        ok: false,
        code: 'BAD_REQUEST',
        message,
      });
    }
    expect(
      await call(eve!.socket, 'group:update', { conversationId: chat.id, title: 'Mine' }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    const direct = await call(alice!.socket, 'conversation:start', {
      username: bob!.user.username,
    });
    if (!direct.ok) throw new Error(direct.message);
    expect(
      await call(alice!.socket, 'group:update', {
        conversationId: direct.conversation.id,
        title: 'Us',
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
