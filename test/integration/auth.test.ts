import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startServer, type TestServer } from '../helpers/server';
import { userRoom } from '../../server/realtime/rooms';
import { connect, cookieFrom, PASSWORD, postJson, signUp, uniqueName } from '../helpers/client';

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer(database.serverOptions);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function session(cookie: string) {
  const response = await fetch(`${server.url}/api/auth/session`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('sign-up', () => {
  it('creates the account, signs it in with an httpOnly SameSite=Lax cookie', async () => {
    const username = uniqueName('Alice');
    const response = await postJson(server.url, '/api/auth/sign-up', {
      username,
      password: PASSWORD,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ ok: true, user: { username: username.toLowerCase() } });
    expect(response.setCookie).toMatch(/^parley_session=[A-Za-z0-9_-]{43};/);
    expect(response.setCookie).toMatch(/HttpOnly/);
    expect(response.setCookie).toMatch(/SameSite=Lax/);
    const me = await session(cookieFrom(response.setCookie));
    expect(me.body).toMatchObject({ ok: true, user: { username: username.toLowerCase() } });
  });

  it('refuses a taken username, whatever its letter case', async () => {
    const username = uniqueName('bob');
    await postJson(server.url, '/api/auth/sign-up', { username, password: PASSWORD });
    const again = await postJson(server.url, '/api/auth/sign-up', {
      username: username.toUpperCase(),
      password: PASSWORD,
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ ok: false, code: 'USERNAME_TAKEN' });
    expect(again.body.message).toMatch(/taken/);
    expect(again.setCookie).toBeNull();
  });

  it.each([
    [{ username: 'ab', password: PASSWORD }, 'BAD_REQUEST', /Usernames are 3 to 32 characters/],
    [{ username: 'has space', password: PASSWORD }, 'BAD_REQUEST', /Usernames are/],
    [
      { username: '1starts_with_digit', password: PASSWORD },
      'BAD_REQUEST',
      /starting with a letter/,
    ],
    [{ username: 'carol_short', password: 'short' }, 'BAD_REQUEST', /at least 8 characters/],
    [{ username: 'carol_long', password: 'x'.repeat(300) }, 'BAD_REQUEST', /at most 256/],
    [{ username: 'dave_common', password: 'password123' }, 'WEAK_PASSWORD', /too common/],
    [{ username: 'erin_same', password: 'erin_same_123' }, 'WEAK_PASSWORD', /username/],
    [{ username: 'frank_rep', password: 'aaaaaaaaaa' }, 'WEAK_PASSWORD', /repetitive/],
    [{ username: 'gina', password: PASSWORD, role: 'admin' }, 'BAD_REQUEST', /Unrecognized key/],
    [{ username: 42, password: PASSWORD }, 'BAD_REQUEST', /Username must be text/],
  ])('refuses weak or malformed input %j with a clear message', async (body, code, message) => {
    const response = await postJson(server.url, '/api/auth/sign-up', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ ok: false, code });
    expect(response.body.message).toMatch(message);
    expect(response.setCookie).toBeNull();
  });

  it('refuses bodies that are not JSON (400), too large (413), or of the wrong type (415)', async () => {
    const broken = await postJson(server.url, '/api/auth/sign-up', '{"username":');
    expect(broken).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    expect(broken.body.message).toMatch(/not valid JSON/);

    const huge = await postJson(server.url, '/api/auth/sign-up', {
      username: 'hugo',
      password: 'x'.repeat(20_000),
    });
    expect(huge).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(huge.body.message).toMatch(/larger than/);

    const form = await fetch(`${server.url}/api/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=ivy&password=whatever12',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: /application\/json/,
    });
  });

  it('refuses a sign-up posted from a foreign origin', async () => {
    const response = await postJson(
      server.url,
      '/api/auth/sign-up',
      { username: uniqueName('mallory'), password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

describe('sign-in', () => {
  it('signs in with the right password, case-insensitively, into a new session', async () => {
    const account = await signUp(server.url, 'jane');
    const response = await postJson(server.url, '/api/auth/sign-in', {
      username: account.user.username.toUpperCase(),
      password: PASSWORD,
    });
    expect(response.status).toBe(200);
    const cookie = cookieFrom(response.setCookie);
    expect(cookie).not.toBe(account.cookie);
    expect((await session(cookie)).body).toMatchObject({ user: { id: account.user.id } });
  });

  it('gives one generic error for a wrong password and for an unknown user', async () => {
    const account = await signUp(server.url, 'kim');
    const wrong = await postJson(server.url, '/api/auth/sign-in', {
      username: account.user.username,
      password: 'not the password',
    });
    const unknown = await postJson(server.url, '/api/auth/sign-in', {
      username: uniqueName('nobody'),
      password: 'not the password',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({
      ok: false,
      code: 'INVALID_CREDENTIALS',
      message: 'Wrong username or password.',
    });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.setCookie).toBeNull();
  });
});

describe('sign-out', () => {
  it('ends the session and disconnects only that session’s sockets', async () => {
    const account = await signUp(server.url, 'leo');
    const other = await postJson(server.url, '/api/auth/sign-in', {
      username: account.user.username,
      password: PASSWORD,
    });
    const otherCookie = cookieFrom(other.setCookie);
    const first = await connect(server.url, account);
    const second = await connect(server.url, { cookie: otherCookie });

    const disconnected = new Promise<string>((resolve) => first.socket.once('disconnect', resolve));
    const response = await postJson(
      server.url,
      '/api/auth/sign-out',
      {},
      { cookie: account.cookie },
    );
    expect(response.status).toBe(200);
    expect(response.setCookie).toMatch(/parley_session=;.*Max-Age=0/);
    expect(await disconnected).toBe('io server disconnect');

    expect((await session(account.cookie)).status).toBe(401);
    await expect(connect(server.url, account)).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });
    expect(second.socket.connected).toBe(true);
    expect((await session(otherCookie)).status).toBe(200);
    second.socket.close();
  });
});

describe('changing the password', () => {
  const NEW_PASSWORD = 'a much better secret';

  function change(cookie: string, body: unknown, origin = server.url) {
    return postJson(server.url, '/api/account/password', body, { cookie, origin });
  }

  async function signInWith(username: string, password: string) {
    return postJson(server.url, '/api/auth/sign-in', { username, password });
  }

  it('needs the current password; then every other session ends, live, and this one stays', async () => {
    const account = await signUp(server.url, 'pia');
    const phone = cookieFrom((await signInWith(account.user.username, PASSWORD)).setCookie);
    const here = await connect(server.url, account);
    const there = await connect(server.url, { cookie: phone });
    const gone = new Promise<string>((resolve) => there.socket.once('disconnect', resolve));

    const wrong = await change(account.cookie, {
      currentPassword: 'not the password',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      ok: false,
      code: 'INVALID_CREDENTIALS',
      message: 'Wrong current password.',
      field: 'currentPassword',
    });
    expect((await session(phone)).status).toBe(200);

    const changed = await change(account.cookie, {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(changed).toMatchObject({ status: 200, body: { ok: true, sessionsEnded: 1 } });
    expect(await gone).toBe('io server disconnect');
    expect((await session(phone)).status).toBe(401);
    expect((await session(account.cookie)).status).toBe(200);
    expect(here.socket.connected).toBe(true);
    here.socket.close();

    expect((await signInWith(account.user.username, PASSWORD)).status).toBe(401);
    expect((await signInWith(account.user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses a weak or unchanged new password, a bad body and a foreign origin, changing nothing', async () => {
    const account = await signUp(server.url, 'quinn');
    const cases: [unknown, number, Record<string, unknown>][] = [
      [
        { currentPassword: PASSWORD, newPassword: PASSWORD },
        400,
        { code: 'BAD_REQUEST', message: 'The new password is your current one. Choose another.' },
      ],
      [
        { currentPassword: PASSWORD, newPassword: `${account.user.username}123` },
        400,
        { code: 'WEAK_PASSWORD', field: 'newPassword' },
      ],
      [
        { currentPassword: PASSWORD, newPassword: 'short' },
        400,
        {
          code: 'BAD_REQUEST',
          field: 'newPassword',
          message: 'Password must be at least 8 characters.',
        },
      ],
      [
        { currentPassword: '', newPassword: NEW_PASSWORD },
        400,
        { code: 'BAD_REQUEST', message: 'Enter your current password.' },
      ],
      [{ newPassword: NEW_PASSWORD }, 400, { code: 'BAD_REQUEST', field: 'currentPassword' }],
    ];
    for (const [body, status, error] of cases) {
      const response = await change(account.cookie, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body, JSON.stringify(body)).toMatchObject({ ok: false, ...error });
    }
    const foreign = await change(
      account.cookie,
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      'https://evil.example',
    );
    expect(foreign).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const anonymous = await postJson(server.url, '/api/account/password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect((await signInWith(account.user.username, PASSWORD)).status).toBe(200);
  });

  it('makes guesses of the current password wait, like failed sign-ins', async () => {
    const account = await signUp(server.url, 'ravi');
    const statuses = [];
    for (let guess = 0; guess < 7; guess++) {
      const response = await change(account.cookie, {
        currentPassword: `guess number ${guess}`,
        newPassword: NEW_PASSWORD,
      });
      statuses.push(response.status);
    }
    // Five free failures (the default of signInFailuresBeforeDelay), then a wait.
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(statuses.slice(5)).toContain(429);
    const meanwhile = await change(account.cookie, {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(meanwhile).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
  });
});

describe('socket handshake', () => {
  it('refuses a socket without a session', async () => {
    await expect(connect(server.url, { cookie: '' })).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });
    await expect(
      connect(server.url, { cookie: 'parley_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('accepts the app’s own origin and refuses foreign and null origins', async () => {
    const account = await signUp(server.url, 'mia');
    const own = await connect(server.url, account, { origin: server.url });
    expect(own.ready.user.id).toBe(account.user.id);
    own.socket.close();
    await expect(
      connect(server.url, account, { origin: 'https://evil.example' }),
    ).rejects.toThrow();
    await expect(connect(server.url, account, { origin: 'null' })).rejects.toThrow();
  });

  it('keeps no session cookie on a signed-in socket, where fetchSockets would hand it on', async () => {
    const account = await signUp(server.url, 'noah');
    const token = account.cookie.split('=')[1]!;
    const { socket } = await connect(server.url, account);
    try {
      const [held] = await server.parley.realtime.io.in(userRoom(account.user.id)).fetchSockets();
      expect(held?.data.user.id).toBe(account.user.id);
      // With Redis, another node's fetchSockets receives the handshake as it is here.
      expect(held?.handshake.headers.cookie).toBeUndefined();
      expect(JSON.stringify(held?.handshake)).not.toContain(token);
    } finally {
      socket.close();
    }
  });

  it("keeps no session token in a signed-in socket's raw request headers", async () => {
    const account = await signUp(server.url, 'nora');
    const token = account.cookie.split('=')[1]!;
    const { socket } = await connect(server.url, account);
    try {
      const local = [...server.parley.realtime.io.of('/').sockets.values()].find(
        (candidate) => candidate.data.user.id === account.user.id,
      );
      expect(local?.request.rawHeaders.map((value) => value.toLowerCase())).toContain('cookie');
      expect(local?.request.rawHeaders.join('\n')).not.toContain(token);
    } finally {
      socket.close();
    }
  });
});
