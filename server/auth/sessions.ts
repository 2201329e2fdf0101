// Sessions: a random token in an httpOnly cookie; the database keeps only its SHA-256.
// A session ends at its absolute expiry (SESSION_TTL_DAYS after sign-in), when it has not been
// used for SESSION_IDLE_DAYS, or when it is revoked (sign-out, sign-out everywhere, a new
// sign-in from the same browser).

import { createHash, randomBytes } from 'node:crypto';
import {
  deleteExpiredSessions,
  deleteSessionByTokenHash,
  deleteSessionsOfUser,
  findLiveSessions,
  findLiveSessionIds,
  insertSession,
  touchSessions,
  type LiveAt,
  type LiveSession,
} from '../../db';
import type { PrivacySettings, Profile, UserSummary } from '../../protocol';
import { toPrivacySettings } from '../chat/update-privacy';
import { toProfile } from '../chat/update-profile';
import type { Deps } from '../deps';
import { Batcher } from '../lib/batcher';
import { safeError } from '../logger';

/**
 * Writing last_used_at on every request would turn reads into writes; once a minute is enough.
 * Idle expiry is therefore exact to about a minute, which is nothing next to whole days.
 */
const TOUCH_INTERVAL_MS = 60_000;

/** A connected socket keeps its session in use; marking that once an hour is plenty. */
const CONNECTED_TOUCH_INTERVAL_MS = 60 * 60_000;

/** Tokens are 43 base64url characters (32 random bytes). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface AuthenticatedSession {
  sessionId: string;
  user: UserSummary & { role: 'user' | 'admin' };
  /** As it was when the session was checked (sent in session:ready). */
  profile: Profile;
  /** As they were when the session was checked (sent in session:ready). */
  privacy: PrivacySettings;
}

type SessionDeps = Pick<Deps, 'db' | 'config' | 'clock'>;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function liveAt(deps: Pick<Deps, 'config' | 'clock'>): LiveAt {
  const now = new Date(deps.clock.now());
  return { now, idleSince: new Date(now.getTime() - deps.config.sessionIdleMs) };
}

export async function createSession(
  deps: SessionDeps,
  userId: string,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(deps.clock.now() + deps.config.sessionTtlMs);
  const session = await insertSession(deps.db, {
    userId,
    tokenHash: hashSessionToken(token),
    expiresAt,
  });
  return { token, sessionId: session.id, expiresAt };
}

/** Looks up live sessions by token hash, many at once (createSessionFinder). */
export type SessionFinder = Batcher<string, LiveSession | null>;

/**
 * One per node: the sessions of handshakes and requests that arrive together are looked up
 * together, in one statement (a reconnect storm brings thousands at once), and those last
 * marked used over a minute ago are marked used together, in one more.
 */
export function createSessionFinder(deps: SessionDeps): SessionFinder {
  return new Batcher(
    async (tokenHashes: string[]) => {
      const at = liveAt(deps);
      const found = await findLiveSessions(deps.db, [...new Set(tokenHashes)], at);
      const touchedSince = new Date(at.now.getTime() - TOUCH_INTERVAL_MS);
      const stale = [...found.values()]
        .filter(({ session }) => session.lastUsedAt < touchedSince)
        .map(({ session }) => session.id);
      await touchSessions(deps.db, stale, at, touchedSince);
      return tokenHashes.map((tokenHash) => found.get(tokenHash) ?? null);
    },
    { maxBatch: 256, concurrency: 2 },
  );
}

/**
 * Each role as a literal, to hold instead of the row's own copy of the string: a node holds one
 * session per socket. Keyed by the column's values, so a new role must be added here.
 */
const ROLES: { [Role in AuthenticatedSession['user']['role']]: Role } = {
  user: 'user',
  admin: 'admin',
};

/** The signed-in user for a cookie token, or null when it is unknown, revoked, expired or idle. */
export async function authenticateToken(
  deps: Pick<Deps, 'sessionFinder'>,
  token: string | undefined,
): Promise<AuthenticatedSession | null> {
  // Anything that is not shaped like a token cannot match and skips the query.
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const found = await deps.sessionFinder.add(hashSessionToken(token));
  if (!found) return null;
  return {
    sessionId: found.session.id,
    user: {
      id: found.user.id,
      username: found.user.username,
      role: ROLES[found.user.role],
      ...(found.user.displayName ? { displayName: found.user.displayName } : {}),
    },
    profile: toProfile(found.user),
    privacy: toPrivacySettings(found.user),
  };
}

/** Ends the session; returns its id (to disconnect its sockets), or null if it was not live. */
export async function revokeSession(
  deps: Pick<Deps, 'db'>,
  token: string | undefined,
): Promise<string | null> {
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  return deleteSessionByTokenHash(deps.db, hashSessionToken(token));
}

/** Ends every session of a user; returns how many there were. */
export async function revokeAllSessions(deps: Pick<Deps, 'db'>, userId: string): Promise<number> {
  return (await deleteSessionsOfUser(deps.db, userId)).length;
}

/**
 * Which of these sessions (of connected sockets) are still live. The live ones are marked used:
 * a connected device is in use, so its session does not go idle under it.
 */
export async function checkConnectedSessions(
  deps: SessionDeps,
  sessionIds: string[],
): Promise<Set<string>> {
  const at = liveAt(deps);
  const live = await findLiveSessionIds(deps.db, sessionIds, at);
  // A session that ends between these two statements is not marked used: it stays ended.
  await touchSessions(
    deps.db,
    [...live],
    at,
    new Date(at.now.getTime() - CONNECTED_TOUCH_INTERVAL_MS),
  );
  return live;
}

/** Deletes the rows of sessions that have ended by expiry; returns how many. */
export function deleteEndedSessions(deps: SessionDeps): Promise<number> {
  return deleteExpiredSessions(deps.db, liveAt(deps));
}

/** How often a node deletes the rows of expired sessions (they are refused long before). */
const CLEANUP_INTERVAL_MS = 60 * 60_000;

/** Deletes expired sessions every hour, on an unref'd timer: it never keeps the process up. */
export function scheduleSessionCleanup(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'logger'>): {
  stop(): void;
} {
  const timer = setInterval(() => {
    deleteEndedSessions(deps)
      .then((count) => {
        if (count > 0) {
          deps.logger.info({ event: 'sessions.cleaned', count }, 'deleted expired sessions');
        }
      })
      .catch((error: unknown) =>
        deps.logger.error(
          { event: 'sessions.cleanup-failed', err: safeError(error) },
          'deleting expired sessions failed',
        ),
      );
  }, CLEANUP_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
