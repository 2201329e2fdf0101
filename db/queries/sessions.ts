import { and, eq, gt, inArray, isNull, lt, lte, ne, or, sql, type Placeholder } from 'drizzle-orm';
import type { Executor } from '../client';
import { sessions, users, type SessionRow, type UserRow } from '../schema';
import { arrayFromJson, preparedFor } from './prepared';

/** When a session counts as live: not past its absolute expiry, and used recently enough. */
export interface LiveAt {
  now: Date;
  /** Sessions last used at or before this instant are idle-expired. */
  idleSince: Date;
}

/** The instants, or placeholders for them in a prepared query. */
const isLive = ({ now, idleSince }: LiveAt | { now: Placeholder; idleSince: Placeholder }) =>
  and(gt(sessions.expiresAt, now), gt(sessions.lastUsedAt, idleSince));

export async function insertSession(
  db: Executor,
  values: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<SessionRow> {
  const [row] = await db.insert(sessions).values(values).returning();
  if (!row) throw new Error('insert into sessions returned no row');
  return row;
}

/** A live session and its user. */
export interface LiveSession {
  session: SessionRow;
  user: UserRow;
}

/**
 * The live sessions (unexpired, not idle) with these token hashes, and their users, by token
 * hash; a hash with no live session is missing. A disabled user's session is not live:
 * disabling deletes their sessions, and this refuses one that a sign-in racing the disable may
 * have made.
 */
export async function findLiveSessions(
  db: Executor,
  tokenHashes: string[],
  at: LiveAt,
): Promise<Map<string, LiveSession>> {
  if (tokenHashes.length === 0) return new Map();
  // On every connection: built once (prepared.ts). The hashes go in as one JSON array, so a
  // batch of any size is the same statement, and its rows come through the unique index.
  const query = preparedFor(db, 'find_live_sessions', (executor, name) =>
    executor
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          sql`${sessions.tokenHash} = any(${arrayFromJson('tokenHashes', 'text')})`,
          isLive({ now: sql.placeholder('now'), idleSince: sql.placeholder('idleSince') }),
          isNull(users.disabledAt),
        ),
      )
      .prepare(name),
  );
  // As the columns would map them: a placeholder's value goes to the driver as it is.
  const rows = await query.execute({
    tokenHashes: JSON.stringify(tokenHashes),
    now: at.now.toISOString(),
    idleSince: at.idleSince.toISOString(),
  });
  return new Map(rows.map((row) => [row.session.tokenHash, row]));
}

/** Which of these sessions are still live (and of a user who is not disabled). */
export async function findLiveSessionIds(
  db: Executor,
  sessionIds: string[],
  at: LiveAt,
): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(inArray(sessions.id, sessionIds), isLive(at), isNull(users.disabledAt)));
  return new Set(rows.map((row) => row.id));
}

/**
 * Marks these sessions used at `at.now`, skipping those already used since `touchedSince`, and
 * those that are no longer live at `at`: a session that went idle or expired since it was
 * found live stays ended.
 */
export async function touchSessions(
  db: Executor,
  sessionIds: string[],
  at: LiveAt,
  touchedSince: Date,
): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .update(sessions)
    .set({ lastUsedAt: at.now })
    .where(
      and(inArray(sessions.id, sessionIds), lt(sessions.lastUsedAt, touchedSince), isLive(at)),
    );
}

/** Deletes the session with this token hash; returns its id, or null if there was none. */
export async function deleteSessionByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<string | null> {
  const [row] = await db
    .delete(sessions)
    .where(eq(sessions.tokenHash, tokenHash))
    .returning({ id: sessions.id });
  return row?.id ?? null;
}

/** Deletes every session of a user ("sign out everywhere"); returns their ids. */
export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .delete(sessions)
    .where(eq(sessions.userId, userId))
    .returning({ id: sessions.id });
  return rows.map((row) => row.id);
}

/** Deletes every session of a user but `keptId` (a password change); returns their ids. */
export async function deleteOtherSessionsOfUser(
  db: Executor,
  userId: string,
  keptId: string,
): Promise<string[]> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keptId)))
    .returning({ id: sessions.id });
  return rows.map((row) => row.id);
}

/** Deletes the sessions past their absolute expiry or idle too long; returns how many. */
export async function deleteExpiredSessions(db: Executor, at: LiveAt): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(or(lte(sessions.expiresAt, at.now), lte(sessions.lastUsedAt, at.idleSince)))
    .returning({ id: sessions.id });
  return rows.length;
}
