// Sessions: a random token in an httpOnly cookie; the database keeps only its SHA-256.

import { createHash, randomBytes } from 'node:crypto';
import { deleteSessionByTokenHash, findLiveSession, insertSession, touchSession } from '../../db';
import type { UserSummary } from '../../protocol';
import type { Deps } from '../deps';

/** Writing last_used_at on every request would turn reads into writes; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export interface AuthenticatedSession {
  sessionId: string;
  user: UserSummary & { role: 'user' | 'admin' };
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  deps: Pick<Deps, 'db' | 'config'>,
  userId: string,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + deps.config.sessionTtlMs);
  const session = await insertSession(deps.db, {
    userId,
    tokenHash: hashSessionToken(token),
    expiresAt,
  });
  return { token, sessionId: session.id, expiresAt };
}

/** The signed-in user for a cookie token, or null when it is unknown, revoked or expired. */
export async function authenticateToken(
  deps: Pick<Deps, 'db'>,
  token: string | undefined,
): Promise<AuthenticatedSession | null> {
  // Tokens are 43 base64url characters; anything else cannot match and skips the query.
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const now = new Date();
  const found = await findLiveSession(deps.db, hashSessionToken(token), now);
  if (!found) return null;
  if (now.getTime() - found.session.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await touchSession(deps.db, found.session.id, now);
  }
  return {
    sessionId: found.session.id,
    user: { id: found.user.id, username: found.user.username, role: found.user.role },
  };
}

/** Ends the session; returns its id (to disconnect its sockets), or null if it was not live. */
export function revokeSession(deps: Pick<Deps, 'db'>, token: string): Promise<string | null> {
  return deleteSessionByTokenHash(deps.db, hashSessionToken(token));
}
