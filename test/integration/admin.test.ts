// The admin role (granted with `npm run admin -- grant`), the settings API and /admin.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type ClientLimits } from '../../protocol';
import { call, connect, signUp, type Account } from '../helpers/client';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database';
import { startNextPages, type NextPages } from '../helpers/next-pages';
import { runAdminCli } from '../helpers/process-server';
import { startServer as startBareServer, type TestServer } from '../helpers/server';

let database: TestDatabase;
let server: TestServer;
/** The pages (/admin is one), served by this process's Next.js. */
let pages: NextPages;

function startServer(options: TestDatabase['serverOptions']): Promise<TestServer> {
  return startBareServer({ ...options, pages: pages.handle });
}
let admin: Account;
let user: Account;

/**
 * The documented way to make an admin, run as the command it is, against this file's database.
 * PGlite allows one process per folder: stop the server first. (Asynchronous, so that the test's
 * HTTP client notices the server closing idle keep-alive connections meanwhile: a blocked event
 * loop would reuse a closed one.)
 */
function adminCli(args: string[]): Promise<string> {
  return runAdminCli(args, {
    DATABASE_URL: database.serverOptions.databaseUrl ?? '',
    DATA_DIR: database.serverOptions.dataDir,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  pages = await startNextPages();
  server = await startServer(database.serverOptions);
  admin = await signUp(server.url, 'root');
  user = await signUp(server.url, 'plain');
  if (TEST_DB === 'pglite') await server.stop();
  expect(await adminCli(['grant', admin.user.username.toUpperCase()])).toMatch(/is now an admin/);
  expect(await adminCli(['list'])).toContain(admin.user.username);
  if (TEST_DB === 'pglite') server = await startServer(database.serverOptions);
}, 120_000); // the command line runs twice, each a Node process of its own

afterAll(async () => {
  await server?.stop();
  await pages?.close();
  await database?.drop();
});

async function request(method: string, path: string, account?: Account, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(account ? { cookie: account.cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

describe('the admin role', () => {
  it('is granted by the command line and shows in the session', async () => {
    expect((await request('GET', '/api/auth/session', admin)).json()).toMatchObject({
      isAdmin: true,
    });
    expect((await request('GET', '/api/auth/session', user)).json()).toMatchObject({
      isAdmin: false,
    });
    const { ready } = await connect(server.url, admin);
    expect(ready.isAdmin).toBe(true);
  });

  it('is needed for the settings API and for /admin', async () => {
    expect(await request('GET', '/api/admin/settings')).toMatchObject({ status: 401 });
    const refused = await request('GET', '/api/admin/settings', user);
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Only admins can see or change the settings.',
    });
    expect((await request('PUT', '/api/admin/settings', user, { maxGroupSize: 3 })).status).toBe(
      403,
    );
    expect((await request('GET', '/admin', user)).status).toBe(403);

    const page = await request('GET', '/admin', admin);
    expect(page.status).toBe(200);
    const settings = await request('GET', '/api/admin/settings', admin);
    expect(settings.json()).toEqual({
      ok: true,
      settings: DEFAULT_SETTINGS,
      groupsOverMaxSize: 0,
    });
  });

  it('can be revoked, and counts at once', async () => {
    const other = await signUp(server.url, 'temp');
    if (TEST_DB === 'pglite') await server.stop();
    await adminCli(['grant', other.user.username]);
    expect(await adminCli(['revoke', other.user.username])).toMatch(/no longer an admin/);
    if (TEST_DB === 'pglite') server = await startServer(database.serverOptions);
    expect((await request('GET', '/api/admin/settings', other)).status).toBe(403);
  });
});

describe('settings', () => {
  it.each([
    [{ maxGroupSize: 1 }, 'Maximum group size must be at least 2.'],
    [{ maxGroupSize: 1_000_000 }, 'Maximum group size can be at most 5000.'],
    [{ maxGroupSize: 2.5 }, 'Maximum group size must be a whole number.'],
    [{ maxMessageLength: 100_001 }, 'Maximum message length can be at most 100000.'],
    [{ maxMessageLength: 0 }, 'Maximum message length must be at least 1.'],
    [{ maxMessageLength: 'ten' }, 'Maximum message length must be a whole number.'],
    [{ maxMessageLength: null }, 'Maximum message length must be a whole number.'],
    [{ retention: 7 }, 'Unrecognized key: "retention"'],
  ])('refuse %j with a clear error and change nothing', async (body, message) => {
    const response = await request('PUT', '/api/admin/settings', admin, body);
    expect(response.status).toBe(400);
    // The sentence is for people; the field it is about comes apart, for programs.
    const field = Object.keys(body)[0];
    expect(response.json()).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message,
      ...(field === 'retention' ? {} : { field }),
    });
    const settings = await request('GET', '/api/admin/settings', admin);
    expect(settings.json()).toMatchObject({
      settings: { maxMessageLength: 100_000, maxGroupSize: 256 },
    });
  });

  it('refuse a change posted from another site', async () => {
    const put = await fetch(`${server.url}/api/admin/settings`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        cookie: admin.cookie,
        origin: 'https://evil.example',
      },
      body: JSON.stringify({ maxGroupSize: 3 }),
    });
    expect(put.status).toBe(403);
  });

  it('apply at once to connected clients and to every later request, and survive a restart', async () => {
    const { socket } = await connect(server.url, user);
    const told = new Promise<{ limits: ClientLimits }>((resolve) =>
      socket.once('settings:updated', resolve),
    );
    const saved = await request('PUT', '/api/admin/settings', admin, {
      maxMessageLength: 20,
      maxGroupSize: 2,
    });
    expect(saved.json()).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS, maxMessageLength: 20, maxGroupSize: 2 },
      groupsOverMaxSize: 0,
    });
    expect(await told).toEqual({
      limits: {
        maxMessageLength: 20,
        editWindowMinutes: DEFAULT_SETTINGS.editWindowMinutes,
        deleteWindowHours: DEFAULT_SETTINGS.deleteWindowHours,
      },
    });

    const { socket: adminSocket } = await connect(server.url, admin);
    const started = await call(adminSocket, 'conversation:start', { username: user.user.username });
    if (!started.ok) throw new Error(started.message);
    const send = (body: string) =>
      call(adminSocket, 'message:send', {
        conversationId: started.conversation.id,
        clientMsgId: randomUUID(),
        body,
      });
    expect(await send('x'.repeat(21))).toMatchObject({
      ok: false,
      code: 'MESSAGE_TOO_LONG',
      message: 'The message is too long: 21 characters, the limit is 20.',
    });
    expect(await send('x'.repeat(20))).toMatchObject({ ok: true });
    const third = await signUp(server.url, 'third');
    expect(
      await call(adminSocket, 'group:create', {
        title: 'Three',
        usernames: [user.user.username, third.user.username],
        clientRequestId: randomUUID(),
      }),
    ).toMatchObject({ ok: false, code: 'GROUP_FULL' });
    socket.close();
    adminSocket.close();

    await server.stop();
    server = await startServer(database.serverOptions);
    const after = await request('GET', '/api/admin/settings', admin);
    expect(after.json()).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS, maxMessageLength: 20, maxGroupSize: 2 },
      groupsOverMaxSize: 0,
    });
    await request('PUT', '/api/admin/settings', admin, {
      maxMessageLength: 100_000,
      maxGroupSize: 256,
    });
  });

  it('count the groups a lowered maximum size leaves too big; they keep their members and cannot grow', async () => {
    const { socket } = await connect(server.url, admin);
    const others = await Promise.all(
      ['ann', 'ben', 'cat', 'dan'].map((name) => signUp(server.url, name)),
    );
    const names = others.map((other) => other.user.username);
    const big = await call(socket, 'group:create', {
      title: 'Big',
      usernames: names.slice(0, 3),
      clientRequestId: randomUUID(),
    });
    const small = await call(socket, 'group:create', {
      title: 'Small',
      usernames: names.slice(0, 1),
      clientRequestId: randomUUID(),
    });
    if (!big.ok || !small.ok) throw new Error('the groups were not created');

    const lowered = await request('PUT', '/api/admin/settings', admin, { maxGroupSize: 3 });
    expect(lowered.json()).toMatchObject({ ok: true, groupsOverMaxSize: 1 });
    expect((await request('GET', '/api/admin/settings', admin)).json()).toMatchObject({
      settings: { maxGroupSize: 3 },
      groupsOverMaxSize: 1,
    });
    // The big group keeps its four members, but no one can join it.
    const members = await call(socket, 'group:members', { conversationId: big.conversation.id });
    expect(members.ok && members.members).toHaveLength(4);
    expect(
      await call(socket, 'group:add-members', {
        conversationId: big.conversation.id,
        usernames: [names[3]!],
      }),
    ).toEqual({
      ok: false,
      code: 'GROUP_FULL',
      message: 'This group is full: a group can have at most 3 members.',
    });
    // The small one can still grow up to the limit.
    expect(
      await call(socket, 'group:add-members', {
        conversationId: small.conversation.id,
        usernames: [names[3]!],
      }),
    ).toMatchObject({ ok: true });
    // At exactly the limit a group is not over it.
    expect(
      (await request('PUT', '/api/admin/settings', admin, { maxGroupSize: 4 })).json(),
    ).toMatchObject({ ok: true, groupsOverMaxSize: 0 });
    socket.close();
    await request('PUT', '/api/admin/settings', admin, { maxGroupSize: 256 });
  });
});
