// Deleting an account: the password proves it; the person leaves every group; their sessions
// (sockets included), profile and push subscriptions go; their messages show as from "Deleted
// account"; their username is free again only after the grace period.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DELETED_ACCOUNT_NAME } from '../../protocol';
import { call, connect, nextEvent, PASSWORD, postJson } from '../helpers/client';
import { person, send, setupSuite, type Person } from '../helpers/suite';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The server's clock, moved forward to pass the grace period (30 days by default). */
let offsetMs = 0;
const suite = setupSuite({ clock: { now: () => Date.now() + offsetMs } });

function deleteAccount(who: { cookie: string }, body: unknown, origin = suite.server.url) {
  return postJson(suite.server.url, '/api/account/delete', body, { cookie: who.cookie, origin });
}

async function group(creator: Person, members: Person[]) {
  const created = await call(creator.socket, 'group:create', {
    title: 'Choir',
    usernames: members.map((member) => member.user.username),
    clientRequestId: randomUUID(),
  });
  if (!created.ok) throw new Error(created.message);
  return created.conversation;
}

describe('deleting an account', () => {
  it('needs the password, then leaves every group and erases the person everywhere', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => person(suite, name)),
    );
    const choir = await group(alice!, [bob!, carol!]);
    const direct = await call(bob!.socket, 'conversation:start', {
      username: alice!.user.username,
    });
    if (!direct.ok) throw new Error(direct.message);
    await send(alice!, direct.conversation.id, 'hello bob');
    await send(alice!, choir.id, 'hello choir');

    const wrong = await deleteAccount(alice!, { password: 'not my password' });
    expect(wrong).toMatchObject({
      status: 401,
      body: { ok: false, code: 'INVALID_CREDENTIALS', message: 'Wrong password.' },
    });
    expect(await deleteAccount(alice!, {}, 'https://evil.example')).toMatchObject({
      status: 403,
    });
    expect(await deleteAccount(alice!, { password: '' })).toMatchObject({
      status: 400,
      body: { message: 'Enter your password to delete your account.' },
    });
    expect(alice!.socket.connected).toBe(true);

    const signedOut = new Promise((resolve) => alice!.socket.once('disconnect', resolve));
    const bobHearsLeft = nextEvent(bob!.socket, 'message:created', (m) => m.body.endsWith(' left'));
    const bobHearsName = nextEvent(bob!.socket, 'user:updated', (p) => p.id === alice!.user.id);
    const deleted = await deleteAccount(alice!, { password: PASSWORD });
    expect(deleted).toMatchObject({ status: 200, body: { ok: true } });
    expect(deleted.setCookie).toMatch(/Max-Age=0/i);
    await signedOut;
    expect((await bobHearsLeft).body).toBe(`${alice!.user.username} left`);
    expect(await bobHearsName).toMatchObject({ displayName: DELETED_ACCOUNT_NAME, about: '' });

    // The group lives on, with a new admin; alice's old message shows as from a deleted account.
    const members = await call(bob!.socket, 'group:members', { conversationId: choir.id });
    expect(members.ok && members.members.map((member) => [member.id, member.role])).toEqual([
      [bob!.user.id, 'admin'],
      [carol!.user.id, 'member'],
    ]);
    const page = await call(bob!.socket, 'message:history', {
      conversationId: direct.conversation.id,
    });
    expect(page.ok && page.messages.map((m) => [m.body, m.senderDisplayName])).toEqual([
      ['hello bob', DELETED_ACCOUNT_NAME],
    ]);
    // Nothing reaches a deleted account; nobody finds it or starts a chat with it.
    expect(
      await call(bob!.socket, 'message:send', {
        conversationId: direct.conversation.id,
        clientMsgId: randomUUID(),
        body: 'are you there?',
      }),
    ).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'This account was deleted: it gets no messages.',
    });
    const found = await call(bob!.socket, 'people:search', { query: alice!.user.username });
    expect(found).toEqual({ ok: true, people: [] });
    expect(
      await call(carol!.socket, 'conversation:start', { username: alice!.user.username }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(
      await call(carol!.socket, 'group:add-members', {
        conversationId: choir.id,
        usernames: [alice!.user.username],
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    // Signed out for good: the old cookie, the password and a socket are all refused.
    const session = await fetch(`${suite.server.url}/api/auth/session`, {
      headers: { cookie: alice!.cookie },
    });
    expect(session.status).toBe(401);
    const signIn = await postJson(suite.server.url, '/api/auth/sign-in', {
      username: alice!.user.username,
      password: PASSWORD,
    });
    expect(signIn.status).toBe(401);
    await expect(connect(suite.server.url, alice!)).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });
    // A second deletion finds no account.
    expect((await deleteAccount(alice!, { password: PASSWORD })).status).toBe(401);
  });

  it('keeps the username from others until the grace period is over', async () => {
    const dana = await person(suite, 'dana');
    const name = dana.user.username;
    expect((await deleteAccount(dana, { password: PASSWORD })).status).toBe(200);
    const again = () =>
      postJson(suite.server.url, '/api/auth/sign-up', { username: name, password: PASSWORD });
    expect(await again()).toMatchObject({
      status: 409,
      body: { code: 'USERNAME_TAKEN', message: `The username “${name}” is taken.` },
    });
    offsetMs = 31 * DAY_MS;
    const taken = await again();
    offsetMs = 0;
    expect(taken.status).toBe(201);
    expect((taken.body.user as { id: string }).id).not.toBe(dana.user.id);
  });

  it('refuses the name of deleted accounts for anyone living', async () => {
    const erin = await person(suite, 'erin');
    expect(
      await call(erin.socket, 'profile:update', { displayName: 'deleted ACCOUNT' }),
    ).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: '“Deleted account” is the name of deleted accounts. Choose another.',
    });
  });
});
