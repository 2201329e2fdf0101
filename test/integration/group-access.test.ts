// Who may write to a group and who may come in: "only admins can send messages", and invite
// links (made, reset and revoked by admins; joining respects the size limit and blocks).

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, nextEvent } from '../helpers/client';
import { person, send, setupSuite, type Person } from '../helpers/suite';

const MAX_GROUP_SIZE = 4;
const suite = setupSuite({ settings: { maxGroupSize: MAX_GROUP_SIZE } });

async function group(creator: Person, members: Person[]) {
  const created = await call(creator.socket, 'group:create', {
    title: 'Club',
    usernames: members.map((member) => member.user.username),
    clientRequestId: randomUUID(),
  });
  if (!created.ok) throw new Error(`${created.code}: ${created.message}`);
  return created.conversation;
}

function attempt(sender: Person, conversationId: string, body = 'hello') {
  return call(sender.socket, 'message:send', { conversationId, clientMsgId: randomUUID(), body });
}

async function lastBody(who: Person, conversationId: string) {
  const page = await call(who.socket, 'message:history', { conversationId });
  if (!page.ok) throw new Error(page.message);
  return page.messages.at(-1)?.body;
}

async function inviteCode(admin: Person, conversationId: string, isReset = false) {
  const made = await call(admin.socket, 'group:invite-create', { conversationId, isReset });
  if (!made.ok) throw new Error(`${made.code}: ${made.message}`);
  return made.code;
}

describe('a group where only admins send', () => {
  it('refuses members, lets admins send, and follows role changes', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const chat = await group(alice!, [bob!, carol!]);
    expect(
      await call(bob!.socket, 'group:update', { conversationId: chat.id, isSendAdminsOnly: true }),
    ).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Only group admins can choose who may send messages.',
    });
    const bobTold = nextEvent(bob!.socket, 'message:created', (m) => m.kind === 'system');
    const locked = await call(alice!.socket, 'group:update', {
      conversationId: chat.id,
      isSendAdminsOnly: true,
    });
    expect(locked).toMatchObject({ ok: true, conversation: { isSendAdminsOnly: true } });
    expect((await bobTold).body).toBe(
      `${alice!.user.username} allowed only admins to send messages`,
    );

    const before = await lastBody(alice!, chat.id);
    expect(await attempt(bob!, chat.id)).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Only admins can send messages to this group.',
    });
    // Nothing stored, no seq spent.
    expect(await lastBody(alice!, chat.id)).toBe(before);
    await send(alice!, chat.id, 'announcement');

    // Made an admin, bob may send; made a member again, he may not.
    const promoted = await call(alice!.socket, 'group:set-role', {
      conversationId: chat.id,
      userId: bob!.user.id,
      role: 'admin',
    });
    expect(promoted.ok).toBe(true);
    await send(bob!, chat.id, 'from a new admin');
    await call(alice!.socket, 'group:set-role', {
      conversationId: chat.id,
      userId: bob!.user.id,
      role: 'member',
    });
    expect(await attempt(bob!, chat.id)).toMatchObject({ code: 'FORBIDDEN' });

    // Forwarding into the group is sending too.
    const source = await send(carol!, (await group(carol!, [bob!])).id, 'forward me');
    expect(
      await call(bob!.socket, 'message:forward', {
        conversationId: source.conversationId,
        seqs: [source.seq],
        targets: [{ conversationId: chat.id, clientMsgIds: [randomUUID()] }],
      }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    // Everyone may send again.
    await call(alice!.socket, 'group:update', { conversationId: chat.id, isSendAdminsOnly: false });
    expect(await lastBody(carol!, chat.id)).toBe(
      `${alice!.user.username} allowed all members to send messages`,
    );
    await send(carol!, chat.id, 'finally');
  });

  it('keeps a newcomer added while it is on from sending', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((name) => person(suite, name)));
    const chat = await group(alice!, []);
    await call(alice!.socket, 'group:update', { conversationId: chat.id, isSendAdminsOnly: true });
    const added = await call(alice!.socket, 'group:add-members', {
      conversationId: chat.id,
      usernames: [bob!.user.username],
    });
    expect(added.ok).toBe(true);
    expect(await attempt(bob!, chat.id)).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('invite links', () => {
  it('lets someone with the link see the group and join it, recorded in the timeline', async () => {
    const [alice, bob, dave] = await Promise.all(
      ['alice', 'bob', 'dave'].map((name) => person(suite, name)),
    );
    const chat = await group(alice!, [bob!]);
    expect(await call(alice!.socket, 'group:invite-link', { conversationId: chat.id })).toEqual({
      ok: true,
      code: null,
    });
    const code = await inviteCode(alice!, chat.id);
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Asking again gives the same link; the admins see it.
    expect(await inviteCode(alice!, chat.id)).toBe(code);
    expect(await call(alice!.socket, 'group:invite-link', { conversationId: chat.id })).toEqual({
      ok: true,
      code,
    });

    expect(await call(dave!.socket, 'group:invite-preview', { code })).toEqual({
      ok: true,
      invite: { conversationId: chat.id, title: 'Club', memberCount: 2, isMember: false },
    });
    const bobSees = nextEvent(bob!.socket, 'message:created', (m) => m.kind === 'system');
    const joined = await call(dave!.socket, 'group:join', { code });
    expect(joined).toMatchObject({ ok: true, conversation: { id: chat.id, myRole: 'member' } });
    expect((await bobSees).body).toBe(
      `${dave!.user.username} joined using this group's invite link`,
    );
    await send(dave!, chat.id, 'hi all');
    // Joining again changes nothing.
    const before = await lastBody(alice!, chat.id);
    expect(await call(dave!.socket, 'group:join', { code })).toMatchObject({ ok: true });
    expect(await lastBody(alice!, chat.id)).toBe(before);
    expect(await call(dave!.socket, 'group:invite-preview', { code })).toMatchObject({
      invite: { memberCount: 3, isMember: true },
    });
  });

  it('stops working when reset or revoked', async () => {
    const [alice, erin] = await Promise.all(['alice', 'erin'].map((name) => person(suite, name)));
    const chat = await group(alice!, []);
    const first = await inviteCode(alice!, chat.id);
    const second = await inviteCode(alice!, chat.id, true);
    expect(second).not.toBe(first);
    const gone = {
      ok: false,
      code: 'NOT_FOUND',
      message: 'This invite link was reset or does not exist.',
    };
    expect(await call(erin!.socket, 'group:join', { code: first })).toEqual(gone);
    expect(await call(alice!.socket, 'group:invite-revoke', { conversationId: chat.id })).toEqual({
      ok: true,
      code: null,
    });
    expect(await call(erin!.socket, 'group:join', { code: second })).toEqual(gone);
    expect(await call(erin!.socket, 'group:invite-preview', { code: second })).toEqual(gone);
  });

  it('respects the size limit and blocks', async () => {
    const people = await Promise.all(
      ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => person(suite, name)),
    );
    const [alice, bob, carol, dave, erin, frank] = people as Person[];
    const chat = await group(alice!, [bob!]);
    const code = await inviteCode(alice!, chat.id);
    // An admin who blocked someone keeps them out, whoever shares the link.
    await call(alice!.socket, 'block:add', { userId: frank!.user.id });
    expect(await call(frank!.socket, 'group:join', { code })).toEqual({
      ok: false,
      code: 'BLOCKED',
      message: 'You cannot join this group.',
    });
    // A plain member's block does not.
    await call(bob!.socket, 'block:add', { userId: carol!.user.id });
    expect((await call(carol!.socket, 'group:join', { code })).ok).toBe(true);
    expect((await call(dave!.socket, 'group:join', { code })).ok).toBe(true);
    expect(await call(erin!.socket, 'group:join', { code })).toEqual({
      ok: false,
      code: 'GROUP_FULL',
      message: `This group is full: a group can have at most ${MAX_GROUP_SIZE} members.`,
    });
  });

  it('lets someone who left come back, and not someone who was removed', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const chat = await group(alice!, [bob!, carol!]);
    const code = await inviteCode(alice!, chat.id);
    expect((await call(bob!.socket, 'group:leave', { conversationId: chat.id })).ok).toBe(true);
    expect(await call(bob!.socket, 'group:join', { code })).toMatchObject({ ok: true });
    await call(alice!.socket, 'group:remove-member', {
      conversationId: chat.id,
      userId: carol!.user.id,
    });
    expect(await call(carol!.socket, 'group:join', { code })).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'You were removed from this group: only an admin can add you again.',
    });
    // Nor can they manage the link: like any change to a group by a non-member, not found.
    expect(
      await call(carol!.socket, 'group:invite-create', { conversationId: chat.id }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('is for admins to see and manage, and refuses bad codes', async () => {
    const [alice, bob, eve] = await Promise.all(
      ['alice', 'bob', 'eve'].map((name) => person(suite, name)),
    );
    const chat = await group(alice!, [bob!]);
    const notAdmin = { ok: false, code: 'FORBIDDEN', message: 'Only group admins can do that.' };
    expect(await call(bob!.socket, 'group:invite-link', { conversationId: chat.id })).toEqual(
      notAdmin,
    );
    expect(await call(bob!.socket, 'group:invite-create', { conversationId: chat.id })).toEqual(
      notAdmin,
    );
    expect(await call(bob!.socket, 'group:invite-revoke', { conversationId: chat.id })).toEqual(
      notAdmin,
    );
    // A stranger, or a direct chat, finds no group.
    expect(
      await call(eve!.socket, 'group:invite-create', { conversationId: chat.id }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const direct = await call(alice!.socket, 'conversation:start', {
      username: bob!.user.username,
    });
    if (!direct.ok) throw new Error(direct.message);
    expect(
      await call(alice!.socket, 'group:invite-create', { conversationId: direct.conversation.id }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    for (const code of ['', 'short', 'x'.repeat(23), 'bad/chars+in/the/code==', 42]) {
      expect(
        await call(eve!.socket, 'group:join', { code } as { code: string }),
        String(code),
      ).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    }
    expect(await call(eve!.socket, 'group:join', { code: 'A'.repeat(22) })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });
});
