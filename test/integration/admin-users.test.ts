// The admin console's API: the users list, disabling and enabling accounts, ending their
// sessions, granting and revoking the admin role, and the overview's counts.
//
// Sessions are re-checked only once an hour here, so every disconnect these tests wait for
// comes from the admin's action itself.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setUserRole } from '../../db';
import { markUserDeleted, seedUsers } from '../../db/seed';
import { createSession } from '../../server/auth/sessions';
import {
  ADMIN_USERS_PAGE_SIZE,
  type AdminStats,
  type AdminUser,
  type HttpEndpointName,
} from '../../protocol';
import {
  call,
  connect,
  cookieFrom,
  PASSWORD,
  postJson,
  signUp,
  type Account,
  type TestSocket,
} from '../helpers/client';
import { person, setupSuite } from '../helpers/suite';

const suite = setupSuite({ env: { SESSION_CHECK_INTERVAL_MS: '3600000' } });

/** An account made admin in the database, as `npm run admin -- grant` does. */
async function newAdmin(base = 'root'): Promise<Account> {
  const account = await signUp(suite.server.url, base);
  await setUserRole(suite.server.parley.deps.db, account.user.username, 'admin');
  return account;
}

async function api(
  method: 'GET' | 'POST',
  path: string,
  account?: Pick<Account, 'cookie'>,
  body: unknown = {},
) {
  const response = await fetch(`${suite.server.url}${path}`, {
    method,
    headers: {
      ...(account ? { cookie: account.cookie } : {}),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const search = (account: Account, body: unknown) =>
  api('POST', '/api/admin/users/search', account, body);
const act = (account: Account, action: string, body: unknown) =>
  api('POST', `/api/admin/users/${action}`, account, body);
const stats = async (account: Account) => {
  const response = await api('GET', '/api/admin/stats', account);
  expect(response.status).toBe(200);
  return response.body.stats as AdminStats;
};

/** The account as the users list shows it, found by its exact username. */
async function listed(admin: Account, account: Account): Promise<AdminUser> {
  const response = await search(admin, { query: account.user.username });
  const found = (response.body.users as AdminUser[]).find((user) => user.id === account.user.id);
  if (!found) throw new Error(`${account.user.username} is not listed`);
  return found;
}

function disconnectOf(socket: TestSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', resolve));
}

async function open(account: Account): Promise<TestSocket> {
  const { socket } = await connect(suite.server.url, account);
  suite.sockets.push(socket);
  return socket;
}

function signIn(username: string) {
  return postJson(suite.server.url, '/api/auth/sign-in', { username, password: PASSWORD });
}

async function sessionStatus(cookie: string): Promise<number> {
  const response = await fetch(`${suite.server.url}/api/auth/session`, { headers: { cookie } });
  await response.body?.cancel();
  return response.status;
}

/** Every new endpoint, with a body it would take. */
const ENDPOINTS: [HttpEndpointName, 'GET' | 'POST', string, (userId: string) => unknown][] = [
  ['searchUsers', 'POST', '/api/admin/users/search', () => ({ query: '' })],
  ['disableUser', 'POST', '/api/admin/users/disable', (userId) => ({ userId })],
  ['enableUser', 'POST', '/api/admin/users/enable', (userId) => ({ userId })],
  ['endUserSessions', 'POST', '/api/admin/users/end-sessions', (userId) => ({ userId })],
  ['setUserRole', 'POST', '/api/admin/users/role', (userId) => ({ userId, role: 'admin' })],
  ['adminStats', 'GET', '/api/admin/stats', () => ({})],
];

describe('who may use the admin API', () => {
  it.each(ENDPOINTS)(
    '%s: 401 signed out, 403 for a user and for a revoked admin, 403 from another origin',
    async (_name, method, path, body) => {
      const root = await newAdmin();
      const target = await signUp(suite.server.url, 'target');
      const plain = await signUp(suite.server.url, 'plain');
      const revoked = await newAdmin('revoked');
      const revoke = await act(root, 'role', { userId: revoked.user.id, role: 'user' });
      expect(revoke.status).toBe(200);

      expect(await api(method, path, undefined, body(target.user.id))).toEqual({
        status: 401,
        body: { ok: false, code: 'UNAUTHENTICATED', message: 'Not signed in.' },
      });
      for (const refused of [plain, revoked]) {
        expect(await api(method, path, refused, body(target.user.id))).toEqual({
          status: 403,
          body: { ok: false, code: 'FORBIDDEN', message: 'Only admins can manage users.' },
        });
      }
      if (method === 'POST') {
        const foreign = await fetch(`${suite.server.url}${path}`, {
          method,
          headers: {
            cookie: root.cookie,
            'content-type': 'application/json',
            origin: 'https://evil.example',
          },
          body: JSON.stringify(body(target.user.id)),
        });
        expect(foreign.status).toBe(403);
        // The target was not touched.
        expect(await listed(root, target)).toMatchObject({ role: 'user', disabledAt: null });
      }
    },
  );
});

describe('bad input', () => {
  it.each([
    ['disable', { userId: 'not-a-uuid' }, 'That is not a user id (a UUID).', 'userId'],
    ['enable', {}, 'That is not a user id (a UUID).', 'userId'],
    ['end-sessions', { userId: 42 }, 'That is not a user id (a UUID).', 'userId'],
    ['role', { userId: randomUUID(), role: 'owner' }, 'The role is "user" or "admin".', 'role'],
    ['disable', { userId: randomUUID(), reason: 'spam' }, 'Unrecognized key: "reason"', undefined],
    ['search', { query: 'a'.repeat(65) }, 'Search for at most 64 characters.', 'query'],
    ['search', { query: 'ali\u0000ce' }, 'Search text cannot contain control characters.', 'query'],
    ['search', { query: '\ud800' }, expect.stringContaining('broken characters'), 'query'],
    ['search', { query: '', after: 'x' }, 'That is not a user id (a UUID).', 'after'],
    ['search', { query: 7 }, 'Search text must be text.', 'query'],
  ])('%s %j is refused with a clear error', async (action, body, message, field) => {
    const root = await newAdmin();
    const response = await act(root, action, body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message,
      ...(field ? { field } : {}),
    });
  });

  it('an unknown user id is "No such user." for every action', async () => {
    const root = await newAdmin();
    for (const action of ['disable', 'enable', 'end-sessions']) {
      expect(await act(root, action, { userId: randomUUID() })).toEqual({
        status: 404,
        body: { ok: false, code: 'NOT_FOUND', message: 'No such user.' },
      });
    }
    expect(await act(root, 'role', { userId: randomUUID(), role: 'admin' })).toMatchObject({
      status: 404,
    });
  });

  it('a body that is not JSON, or not sent as JSON, is refused', async () => {
    const root = await newAdmin();
    const response = await fetch(`${suite.server.url}/api/admin/users/disable`, {
      method: 'POST',
      headers: { cookie: root.cookie, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    const broken = await fetch(`${suite.server.url}/api/admin/users/disable`, {
      method: 'POST',
      headers: { cookie: root.cookie, 'content-type': 'application/json' },
      body: '{"userId":',
    });
    expect(broken.status).toBe(400);
  });
});

describe('the users list', () => {
  it('finds people by the start of their username or of a word of their name', async () => {
    const root = await newAdmin();
    const zed = await person(suite, 'zedekiah');
    const named = await call(zed.socket, 'profile:update', { displayName: 'Quirinus Plumtree' });
    expect(named.ok).toBe(true);

    const byUsername = await search(root, { query: zed.user.username.slice(0, 12).toUpperCase() });
    expect(byUsername.status).toBe(200);
    expect(byUsername.body.users).toEqual([
      expect.objectContaining({
        id: zed.user.id,
        username: zed.user.username,
        displayName: 'Quirinus Plumtree',
        role: 'user',
        isOnline: true,
        disabledAt: null,
        deletedAt: null,
      }),
    ]);
    // "@name" is how people write a username.
    expect((await search(root, { query: `@${zed.user.username}` })).body.users).toHaveLength(1);
    for (const query of ['plumt', 'quir', 'Plumtree Quirinus']) {
      const byName = await search(root, { query });
      expect((byName.body.users as AdminUser[]).map((user) => user.id)).toEqual([zed.user.id]);
    }
    expect((await search(root, { query: 'lumtree' })).body.users).toEqual([]);
    // LIKE's wildcards are plain characters here.
    expect((await search(root, { query: '%' })).body.users).toEqual([]);
  });

  it('lists everyone newest first, 50 a page, with a cursor to the next page', async () => {
    const root = await newAdmin();
    const prefix = `pg${randomUUID().slice(0, 6)}_`;
    const seeded = await seedUsers(
      suite.server.parley.deps.db,
      prefix,
      ADMIN_USERS_PAGE_SIZE + 2,
      '!', // nobody signs in with these
    );
    const first = await search(root, { query: prefix });
    const firstUsers = first.body.users as AdminUser[];
    expect(firstUsers).toHaveLength(ADMIN_USERS_PAGE_SIZE);
    expect(first.body.nextCursor).toBe(firstUsers.at(-1)!.id);
    const second = await search(root, { query: prefix, after: first.body.nextCursor });
    expect(second.body.nextCursor).toBeNull();
    const all = [...firstUsers, ...(second.body.users as AdminUser[])];
    expect(new Set(all.map((user) => user.id))).toEqual(new Set(seeded.map((user) => user.id)));
    // Newest first: never an older account before a newer one.
    const times = all.map((user) => Date.parse(user.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // An empty search lists everyone, the newest account first.
    const newest = await signUp(suite.server.url, 'newest');
    const everyone = await search(root, { query: '  ' });
    expect((everyone.body.users as AdminUser[])[0]).toMatchObject({ id: newest.user.id });
    expect(everyone.body.nextCursor).not.toBeNull();
  });

  it('shows a deleted account as deleted, and allows nothing on it', async () => {
    const root = await newAdmin();
    const gone = await signUp(suite.server.url, 'gone');
    await markUserDeleted(suite.server.parley.deps.db, gone.user.id);
    expect((await listed(root, gone)).deletedAt).not.toBeNull();
    for (const [action, body] of [
      ['disable', { userId: gone.user.id }],
      ['enable', { userId: gone.user.id }],
      ['end-sessions', { userId: gone.user.id }],
      ['role', { userId: gone.user.id, role: 'admin' }],
    ] as const) {
      expect(await act(root, action, body)).toEqual({
        status: 403,
        body: {
          ok: false,
          code: 'FORBIDDEN',
          message: `${gone.user.username} deleted their account: nothing can be done with it.`,
        },
      });
    }
  });
});

describe('disabling an account', () => {
  it('disconnects its sockets at once, refuses its sign-in and its old cookie; enabling lets it back', async () => {
    const root = await newAdmin();
    const victim = await signUp(suite.server.url, 'victim');
    const tabs = [await open(victim), await open(victim)];
    const gone = Promise.all(tabs.map(disconnectOf));
    const bystander = await person(suite, 'bystander');

    const disabled = await act(root, 'disable', { userId: victim.user.id });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user).toMatchObject({
      id: victim.user.id,
      disabledAt: expect.any(String),
      isOnline: false,
    });
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    expect(bystander.socket.connected).toBe(true);
    await suite.server.waitForLog(
      (entry) =>
        entry.event === 'admin.user-disabled' &&
        entry.userId === root.user.id &&
        entry.targetUserId === victim.user.id &&
        entry.sessions === 1,
    );

    // The old cookie, over HTTP and at the handshake.
    expect(await sessionStatus(victim.cookie)).toBe(401);
    await expect(connect(suite.server.url, victim)).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });
    // A new sign-in, with the right password, says why; a wrong one says nothing of it.
    expect(await signIn(victim.user.username)).toMatchObject({
      status: 403,
      body: {
        ok: false,
        code: 'ACCOUNT_DISABLED',
        message: 'This account has been disabled by an administrator.',
      },
    });
    const wrong = await postJson(suite.server.url, '/api/auth/sign-in', {
      username: victim.user.username,
      password: 'not the password',
    });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'INVALID_CREDENTIALS' } });
    expect((await listed(root, victim)).disabledAt).toBe(
      (disabled.body.user as AdminUser).disabledAt,
    );

    // Disabling twice keeps the first time.
    const again = await act(root, 'disable', { userId: victim.user.id });
    expect(again.body.user).toMatchObject({
      disabledAt: (disabled.body.user as AdminUser).disabledAt,
    });

    const enabled = await act(root, 'enable', { userId: victim.user.id });
    expect(enabled).toMatchObject({ status: 200, body: { user: { disabledAt: null } } });
    await suite.server.waitForLog(
      (entry) => entry.event === 'admin.user-enabled' && entry.targetUserId === victim.user.id,
    );
    expect(await sessionStatus(victim.cookie)).toBe(401); // its sessions stay ended
    const back = await signIn(victim.user.username);
    expect(back.status).toBe(200);
    const { socket } = await connect(suite.server.url, { cookie: cookieFrom(back.setCookie) });
    socket.close();
  });

  it('a session a sign-in left behind is refused while the account is disabled', async () => {
    const root = await newAdmin();
    const victim = await signUp(suite.server.url, 'straggler');
    expect((await act(root, 'disable', { userId: victim.user.id })).status).toBe(200);
    // As if a sign-in that began before the disable committed after it: a session row exists.
    const { token } = await createSession(suite.server.parley.deps, victim.user.id);
    expect(await sessionStatus(`parley_session=${token}`)).toBe(401);
    await act(root, 'enable', { userId: victim.user.id });
    expect(await sessionStatus(`parley_session=${token}`)).toBe(200);
  });

  it('is refused for oneself and for another admin', async () => {
    const root = await newAdmin();
    const other = await newAdmin('other');
    expect(await act(root, 'disable', { userId: root.user.id })).toEqual({
      status: 403,
      body: { ok: false, code: 'FORBIDDEN', message: 'You cannot disable your own account.' },
    });
    expect(await act(root, 'disable', { userId: other.user.id })).toEqual({
      status: 403,
      body: {
        ok: false,
        code: 'FORBIDDEN',
        message: `${other.user.username} is an admin: revoke their admin role first, then disable the account.`,
      },
    });
    expect(await sessionStatus(other.cookie)).toBe(200);
  });
});

describe('ending an account’s sessions', () => {
  it('signs out every device at once; the person may sign in again', async () => {
    const root = await newAdmin();
    const phone = await signUp(suite.server.url, 'lost');
    const laptop = {
      user: phone.user,
      cookie: cookieFrom((await signIn(phone.user.username)).setCookie),
    };
    const gone = Promise.all([await open(phone), await open(laptop)].map(disconnectOf));

    const ended = await act(root, 'end-sessions', { userId: phone.user.id });
    expect(ended).toMatchObject({ status: 200, body: { ok: true, sessionsEnded: 2 } });
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    expect(await sessionStatus(phone.cookie)).toBe(401);
    expect(await sessionStatus(laptop.cookie)).toBe(401);
    await suite.server.waitForLog(
      (entry) =>
        entry.event === 'admin.sessions-ended' &&
        entry.targetUserId === phone.user.id &&
        entry.sessions === 2,
    );
    expect((await signIn(phone.user.username)).status).toBe(200);

    expect(await act(root, 'end-sessions', { userId: root.user.id })).toMatchObject({
      status: 403,
      body: { message: expect.stringContaining('Sign out everywhere') },
    });
  });
});

describe('the admin role', () => {
  it('is granted and revoked from the console, and a revoked admin loses access at once', async () => {
    const root = await newAdmin();
    const helper = await signUp(suite.server.url, 'helper');
    expect((await api('GET', '/api/admin/stats', helper)).status).toBe(403);

    const granted = await act(root, 'role', { userId: helper.user.id, role: 'admin' });
    expect(granted).toMatchObject({ status: 200, body: { user: { role: 'admin' } } });
    expect((await api('GET', '/api/admin/stats', helper)).status).toBe(200);
    expect(await api('GET', '/api/auth/session', helper)).toMatchObject({
      body: { isAdmin: true },
    });
    await suite.server.waitForLog(
      (entry) =>
        entry.event === 'admin.role-changed' &&
        entry.targetUserId === helper.user.id &&
        entry.role === 'admin',
    );

    // The new admin may revoke the one who made them, but not themselves.
    expect(await act(helper, 'role', { userId: helper.user.id, role: 'user' })).toEqual({
      status: 403,
      body: {
        ok: false,
        code: 'FORBIDDEN',
        message: 'You cannot revoke your own admin role: another admin must do it.',
      },
    });
    const revoked = await act(root, 'role', { userId: helper.user.id, role: 'user' });
    expect(revoked).toMatchObject({ status: 200, body: { user: { role: 'user' } } });
    expect((await api('GET', '/api/admin/stats', helper)).status).toBe(403);
    expect((await act(helper, 'disable', { userId: root.user.id })).status).toBe(403);
  });

  it('two admins revoking each other at once leave one of them an admin', async () => {
    const first = await newAdmin('first');
    const second = await newAdmin('second');
    const answers = await Promise.all([
      act(first, 'role', { userId: second.user.id, role: 'user' }),
      act(second, 'role', { userId: first.user.id, role: 'user' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403]);
    const stillAdmin = await Promise.all(
      [first, second].map(async (admin) => (await api('GET', '/api/admin/stats', admin)).status),
    );
    expect(stillAdmin.sort()).toEqual([200, 403]);
  });

  it('is not given to a disabled account', async () => {
    const root = await newAdmin();
    const off = await signUp(suite.server.url, 'off');
    await act(root, 'disable', { userId: off.user.id });
    expect(await act(root, 'role', { userId: off.user.id, role: 'admin' })).toEqual({
      status: 403,
      body: {
        ok: false,
        code: 'FORBIDDEN',
        message: `${off.user.username} is disabled: enable the account before making it an admin.`,
      },
    });
  });
});

describe('the overview', () => {
  it('counts users, today’s messages, people online and admins', async () => {
    const root = await newAdmin();
    const before = await stats(root);
    expect(before).toEqual({
      users: expect.any(Number),
      messagesToday: expect.any(Number),
      onlineNow: expect.any(Number),
      admins: expect.any(Number),
    });

    const alice = await person(suite, 'alice');
    await open(alice); // a second tab counts once
    const bob = await signUp(suite.server.url, 'bob'); // not connected
    const started = await call(alice.socket, 'conversation:start', { username: bob.user.username });
    if (!started.ok) throw new Error(started.message);
    for (const body of ['one', 'two']) {
      const sent = await call(alice.socket, 'message:send', {
        conversationId: started.conversation.id,
        clientMsgId: randomUUID(),
        body,
      });
      expect(sent.ok).toBe(true);
    }
    const helper = await signUp(suite.server.url, 'helper');
    await act(root, 'role', { userId: helper.user.id, role: 'admin' });

    expect(await stats(root)).toEqual({
      users: before.users + 3,
      messagesToday: before.messagesToday + 2,
      onlineNow: before.onlineNow + 1,
      admins: before.admins + 1,
    });

    // A deleted account is not counted.
    await markUserDeleted(suite.server.parley.deps.db, bob.user.id);
    expect((await stats(root)).users).toBe(before.users + 2);
  });
});
