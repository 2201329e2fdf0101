// Session hardening: rotation at sign-in, idle and absolute expiry, tampered and revoked tokens,
// and live sockets that lose their session (sign-out, sign-out everywhere, expiry).
//
// The main server re-checks its sockets' sessions only once an hour here, so every disconnect
// these tests wait for must come from the sign-out itself; the periodic check has a server of
// its own below.

import { describe, expect, it, vi } from 'vitest';
import {
  deleteExpiredSessions,
  deleteSessionByTokenHash,
  touchSessions,
  type Database,
} from '../../db';
import { readSessionTimes, setSessionTimes } from '../../db/seed';
import { hashSessionToken } from '../../server/auth/sessions';
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
import { TEST_DB, withDatabase } from '../helpers/database';
import { startServer } from '../helpers/server';
import { setupSuite, type Suite } from '../helpers/suite';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const QUIET_CHECKS = { SESSION_CHECK_INTERVAL_MS: '3600000' };

const suite = setupSuite({ env: QUIET_CHECKS });

function tokenOf(cookie: string): string {
  return cookie.slice(cookie.indexOf('=') + 1);
}

function hashOf(account: Pick<Account, 'cookie'>): string {
  return hashSessionToken(tokenOf(account.cookie));
}

/** Another character at `index` of the cookie's token, still a well-formed token. */
function tampered(cookie: string, index: number): string {
  const token = tokenOf(cookie);
  const swapped = token[index] === 'A' ? 'B' : 'A';
  return `parley_session=${token.slice(0, index)}${swapped}${token.slice(index + 1)}`;
}

async function sessionStatus(suiteOrUrl: Suite | string, cookie: string): Promise<number> {
  const url = typeof suiteOrUrl === 'string' ? suiteOrUrl : suiteOrUrl.server.url;
  const response = await fetch(`${url}/api/auth/session`, { headers: { cookie } });
  await response.body?.cancel();
  return response.status;
}

async function signIn(url: string, username: string, cookie?: string) {
  return postJson(
    url,
    '/api/auth/sign-in',
    { username, password: PASSWORD },
    cookie ? { cookie } : {},
  );
}

/** Opens a socket the suite closes at the end. */
async function open(target: Suite, account: Pick<Account, 'cookie'>): Promise<TestSocket> {
  const { socket } = await connect(target.server.url, account);
  target.sockets.push(socket);
  return socket;
}

function disconnectOf(socket: TestSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', resolve));
}

async function expectRefused(target: Suite, cookie: string): Promise<void> {
  expect(await sessionStatus(target, cookie)).toBe(401);
  await expect(connect(target.server.url, { cookie })).rejects.toMatchObject({
    data: { code: 'UNAUTHENTICATED' },
  });
}

async function expectAccepted(target: Suite, account: Account): Promise<void> {
  expect(await sessionStatus(target, account.cookie)).toBe(200);
  const { socket, ready } = await connect(target.server.url, account);
  socket.close();
  expect(ready.user.id).toBe(account.user.id);
}

/**
 * Changes rows directly. PostgreSQL takes a second connection beside the running server;
 * PGlite allows one process per folder, so there the server stops for it and starts again.
 */
async function editDatabase(
  target: Suite,
  env: Record<string, string>,
  edit: (db: Database) => Promise<void>,
) {
  if (TEST_DB === 'postgres') {
    await withDatabase(target.database.serverOptions, edit);
    return;
  }
  await target.server.stop();
  await withDatabase(target.database.serverOptions, edit);
  target.server = await startServer({ ...target.database.serverOptions, env });
}

describe('rotation at sign-in', () => {
  it('ends the session the browser signed in with, and its sockets; the new one works', async () => {
    const old = await signUp(suite.server.url, 'rota');
    const socket = await open(suite, old);
    const gone = disconnectOf(socket);

    const response = await signIn(suite.server.url, old.user.username, old.cookie);
    expect(response.status).toBe(200);
    const fresh = { user: old.user, cookie: cookieFrom(response.setCookie) };
    expect(fresh.cookie).not.toBe(old.cookie);

    expect(await gone).toBe('io server disconnect');
    await expectRefused(suite, old.cookie);
    await expectAccepted(suite, fresh);
  });

  it('ends the previous session also when the browser signs into another account', async () => {
    const first = await signUp(suite.server.url, 'rotb');
    const second = await signUp(suite.server.url, 'rotc');
    const response = await signIn(suite.server.url, second.user.username, first.cookie);
    expect(response.status).toBe(200);
    await expectRefused(suite, first.cookie);
    // Signing up while carrying a cookie replaces its session the same way.
    const carried = cookieFrom(response.setCookie);
    const signedUp = await postJson(
      suite.server.url,
      '/api/auth/sign-up',
      { username: `${second.user.username}x`, password: PASSWORD },
      { cookie: carried },
    );
    expect(signedUp.status).toBe(201);
    await expectRefused(suite, carried);
    await expectAccepted(suite, second);
  });

  it('leaves the session alone when the sign-in fails', async () => {
    const account = await signUp(suite.server.url, 'rotd');
    const wrong = await postJson(
      suite.server.url,
      '/api/auth/sign-in',
      { username: account.user.username, password: 'not the password' },
      { cookie: account.cookie },
    );
    expect(wrong.status).toBe(401);
    await expectAccepted(suite, account);
  });
});

describe('tampered tokens', () => {
  it('refuses a token with one character changed, cut short, or lengthened', async () => {
    const account = await signUp(suite.server.url, 'tamper');
    for (const index of [0, 21, 42]) await expectRefused(suite, tampered(account.cookie, index));
    await expectRefused(suite, account.cookie.slice(0, -1));
    await expectRefused(suite, `${account.cookie}A`);
    await expectRefused(suite, `parley_session=${hashOf(account)}`);
    // Tampering does not end the real session.
    await expectAccepted(suite, account);
  });
});

describe('many handshakes at once', () => {
  it('answers each with its own session, and refuses the ended ones among them', async () => {
    const accounts = await Promise.all(
      Array.from({ length: 12 }, (_, index) => signUp(suite.server.url, `crowd${index}`)),
    );
    for (const account of accounts.slice(0, 3)) {
      await postJson(suite.server.url, '/api/auth/sign-out', {}, { cookie: account.cookie });
    }
    // Looked up together (in batches), each must still get its own answer.
    const answers = await Promise.all(
      accounts.map((account) =>
        connect(suite.server.url, account).then(
          ({ socket, ready }) => {
            suite.sockets.push(socket);
            return ready.user.id;
          },
          (error: { data?: { code?: string } }) => error.data?.code,
        ),
      ),
    );
    expect(answers).toEqual(
      accounts.map((account, index) => (index < 3 ? 'UNAUTHENTICATED' : account.user.id)),
    );
  });
});

describe('revoked sessions', () => {
  it('sign-out refuses the session over HTTP and at the handshake', async () => {
    const account = await signUp(suite.server.url, 'revoked');
    const out = await postJson(
      suite.server.url,
      '/api/auth/sign-out',
      {},
      { cookie: account.cookie },
    );
    expect(out.status).toBe(200);
    await expectRefused(suite, account.cookie);
  });

  it('sign-out disconnects every other socket of that session, and only those', async () => {
    const account = await signUp(suite.server.url, 'tabs');
    const other = await signIn(suite.server.url, account.user.username);
    const otherSession = { user: account.user, cookie: cookieFrom(other.setCookie) };
    const tabs = [await open(suite, account), await open(suite, account)];
    const elsewhere = await open(suite, otherSession);
    const gone = tabs.map(disconnectOf);

    await postJson(suite.server.url, '/api/auth/sign-out', {}, { cookie: account.cookie });

    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(elsewhere.connected).toBe(true);
    expect(await call(elsewhere, 'conversation:list', {})).toMatchObject({ ok: true });
  });
});

describe('sign out everywhere', () => {
  it('ends every session of the user and disconnects all their sockets, nobody else’s', async () => {
    const alice = await signUp(suite.server.url, 'everyw');
    const phone = await signIn(suite.server.url, alice.user.username);
    const alicePhone = { user: alice.user, cookie: cookieFrom(phone.setCookie) };
    const bob = await signUp(suite.server.url, 'bystander');
    const aliceSockets = [
      await open(suite, alice),
      await open(suite, alice),
      await open(suite, alicePhone),
    ];
    const bobSocket = await open(suite, bob);
    const gone = aliceSockets.map(disconnectOf);

    const response = await postJson(
      suite.server.url,
      '/api/auth/sign-out-everywhere',
      {},
      { cookie: alicePhone.cookie, origin: suite.server.url },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(response.setCookie).toMatch(/parley_session=;.*Max-Age=0/);

    expect(await Promise.all(gone)).toEqual(Array(3).fill('io server disconnect'));
    await expectRefused(suite, alice.cookie);
    await expectRefused(suite, alicePhone.cookie);
    expect(bobSocket.connected).toBe(true);
    expect(await call(bobSocket, 'conversation:list', {})).toMatchObject({ ok: true });
    expect(await sessionStatus(suite, bob.cookie)).toBe(200);

    // Signing in again works as usual.
    const again = await signIn(suite.server.url, alice.user.username);
    await expectAccepted(suite, { user: alice.user, cookie: cookieFrom(again.setCookie) });
  });

  it('needs a live session and the app’s own origin', async () => {
    const account = await signUp(suite.server.url, 'csrf');
    const foreign = await postJson(
      suite.server.url,
      '/api/auth/sign-out-everywhere',
      {},
      { cookie: account.cookie, origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const crossSite = await postJson(
      suite.server.url,
      '/api/auth/sign-out-everywhere',
      {},
      { cookie: account.cookie, 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    await expectAccepted(suite, account);

    const anonymous = await postJson(suite.server.url, '/api/auth/sign-out-everywhere', {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});

describe('expiry', () => {
  it('refuses sessions idle longer than SESSION_IDLE_DAYS or past their absolute expiry', async () => {
    const idle = await signUp(suite.server.url, 'idle');
    const recent = await signUp(suite.server.url, 'recent');
    const expired = await signUp(suite.server.url, 'expired');
    const now = Date.now();
    await editDatabase(suite, QUIET_CHECKS, async (db) => {
      // The default idle limit is 14 days.
      await setSessionTimes(db, hashOf(idle), { lastUsedAt: new Date(now - 15 * DAY_MS) });
      await setSessionTimes(db, hashOf(recent), { lastUsedAt: new Date(now - 13 * DAY_MS) });
      await setSessionTimes(db, hashOf(expired), {
        lastUsedAt: new Date(now),
        expiresAt: new Date(now - 60_000),
      });
    });

    await expectRefused(suite, idle.cookie);
    await expectRefused(suite, expired.cookie);
    await expectAccepted(suite, recent);

    // Using the recent session marked it used again; the expired ones are deleted by the
    // cleanup, the live one stays.
    await editDatabase(suite, QUIET_CHECKS, async (db) => {
      const used = await readSessionTimes(db, hashOf(recent));
      expect(used!.lastUsedAt.getTime()).toBeGreaterThanOrEqual(now);
      const at = new Date();
      await deleteExpiredSessions(db, { now: at, idleSince: new Date(at.getTime() - 14 * DAY_MS) });
      expect(await readSessionTimes(db, hashOf(idle))).toBeNull();
      expect(await readSessionTimes(db, hashOf(expired))).toBeNull();
      expect(await readSessionTimes(db, hashOf(recent))).not.toBeNull();
    });
    await expectAccepted(suite, recent);
  });
});

describe('marking connected sessions used', () => {
  it('does not bring back a session that ended after the check found it live', async () => {
    // The periodic check reads which sessions live, then marks those used; a session that went
    // idle or expired in between must stay ended.
    const idle = await signUp(suite.server.url, 'wentidle');
    const expired = await signUp(suite.server.url, 'wentexpired');
    const live = await signUp(suite.server.url, 'stayslive');
    const now = new Date();
    const idleSince = new Date(now.getTime() - 14 * DAY_MS);
    const longAgo = new Date(now.getTime() - 15 * DAY_MS);
    await editDatabase(suite, QUIET_CHECKS, async (db) => {
      await setSessionTimes(db, hashOf(idle), { lastUsedAt: longAgo });
      await setSessionTimes(db, hashOf(expired), {
        lastUsedAt: longAgo,
        expiresAt: new Date(now.getTime() - 1_000),
      });
      await setSessionTimes(db, hashOf(live), { lastUsedAt: new Date(now.getTime() - DAY_MS) });
      const ids = [];
      for (const account of [idle, expired, live]) {
        ids.push((await readSessionTimes(db, hashOf(account)))!.id);
      }
      await touchSessions(db, ids, { now, idleSince }, new Date(now.getTime() - HOUR_MS));
      expect((await readSessionTimes(db, hashOf(idle)))!.lastUsedAt).toEqual(longAgo);
      expect((await readSessionTimes(db, hashOf(expired)))!.lastUsedAt).toEqual(longAgo);
      expect((await readSessionTimes(db, hashOf(live)))!.lastUsedAt).toEqual(now);
    });
    await expectRefused(suite, idle.cookie);
  });
});

// The server cannot be stopped under a live socket, and PGlite cannot be changed beside a
// running server: these run on PostgreSQL.
describe.skipIf(TEST_DB === 'pglite')('the periodic check of connected sockets', () => {
  const checked = setupSuite({ env: { SESSION_CHECK_INTERVAL_MS: '200' } });
  const age = (edit: (db: Database) => Promise<unknown>) =>
    withDatabase(checked.database.serverOptions, async (db) => {
      await edit(db);
    });

  it('disconnects sockets whose session passed its absolute expiry or went idle', async () => {
    const expiring = await signUp(checked.server.url, 'expiring');
    const idling = await signUp(checked.server.url, 'idling');
    const staying = await signUp(checked.server.url, 'staying');
    const sockets = [await open(checked, expiring), await open(checked, idling)];
    const stays = await open(checked, staying);
    const gone = sockets.map(disconnectOf);

    await age(async (db) => {
      await setSessionTimes(db, hashOf(expiring), { expiresAt: new Date(Date.now() - 1_000) });
      await setSessionTimes(db, hashOf(idling), {
        lastUsedAt: new Date(Date.now() - 15 * DAY_MS),
      });
    });

    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    await expectRefused(checked, expiring.cookie);
    await expectRefused(checked, idling.cookie);
    expect(stays.connected).toBe(true);
  });

  it('disconnects sockets whose session row is gone (a revocation that did not reach them)', async () => {
    const account = await signUp(checked.server.url, 'lost');
    const socket = await open(checked, account);
    const gone = disconnectOf(socket);
    // Sign-out deletes the row and disconnects; here only the row goes.
    await age((db) => deleteSessionByTokenHash(db, hashOf(account)));
    expect(await gone).toBe('io server disconnect');
  });

  it('keeps a connected session in use, so it does not go idle under an open app', async () => {
    const account = await signUp(checked.server.url, 'inuse');
    const socket = await open(checked, account);
    const twoHoursAgo = Date.now() - 2 * HOUR_MS;
    await age((db) => setSessionTimes(db, hashOf(account), { lastUsedAt: new Date(twoHoursAgo) }));
    // Waits for the check to mark it, not for a fixed time.
    await age((db) =>
      vi.waitFor(
        async () => {
          const times = await readSessionTimes(db, hashOf(account));
          expect(times!.lastUsedAt.getTime()).toBeGreaterThan(twoHoursAgo + HOUR_MS);
        },
        { timeout: 10_000, interval: 50 },
      ),
    );
    expect(socket.connected).toBe(true);
  });
});
