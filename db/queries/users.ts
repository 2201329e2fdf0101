import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../client';
import { prefixTerm } from './search';
import { users, type UserRow } from '../schema';

export async function insertUser(
  db: Executor,
  values: { username: string; passwordHash: string },
): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  if (!row) throw new Error('insert into users returned no row');
  return row;
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username)).limit(1);
  return row ?? null;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

export async function setPasswordHash(
  db: Executor,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function setUserRole(
  db: Executor,
  username: string,
  role: 'user' | 'admin',
): Promise<UserRow | null> {
  const [row] = await db
    .update(users)
    .set({ role })
    .where(eq(users.username, username))
    .returning();
  return row ?? null;
}

export async function listAdmins(db: Executor): Promise<{ id: string; username: string }[]> {
  return db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(users.role, 'admin'))
    .orderBy(users.username);
}

/**
 * Marks these users last seen now, in one statement, and returns when. The rows are locked in
 * id order first, so that two such statements over the same people (two nodes) cannot deadlock.
 */
export async function touchLastSeen(db: Executor, userIds: string[]): Promise<Map<string, Date>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .update(users)
    .set({ lastSeenAt: sql`now()` })
    .where(
      inArray(
        users.id,
        db
          .select({ id: users.id })
          .from(users)
          .where(inArray(users.id, userIds))
          .orderBy(users.id)
          .for('update'),
      ),
    )
    .returning({ id: users.id, lastSeenAt: users.lastSeenAt });
  return new Map(rows.map((row) => [row.id, row.lastSeenAt ?? new Date()]));
}

export async function findLastSeen(
  db: Executor,
  userIds: string[],
): Promise<Map<string, Date | null>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, lastSeenAt: users.lastSeenAt })
    .from(users)
    .where(inArray(users.id, userIds));
  return new Map(rows.map((row) => [row.id, row.lastSeenAt]));
}

export interface PrivacyRow {
  presenceVisibility: 'contacts' | 'nobody';
  isSendingReadReceipts: boolean;
  isFindableByName: boolean;
}

/** Changes any of the user's privacy settings; answers with all of them (null: no such user). */
export async function setPrivacy(
  db: Executor,
  userId: string,
  changes: Partial<PrivacyRow>,
): Promise<PrivacyRow | null> {
  const [row] = await db.update(users).set(changes).where(eq(users.id, userId)).returning({
    presenceVisibility: users.presenceVisibility,
    isSendingReadReceipts: users.isSendingReadReceipts,
    isFindableByName: users.isFindableByName,
  });
  return row ?? null;
}

export interface ProfileRow {
  id: string;
  username: string;
  displayName: string;
  about: string;
}

/** The columns of a ProfileRow, to select or return. */
export const profileColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  about: users.about,
};

/** Changes the user's display name and/or "about"; answers with the profile (null: no user). */
export async function setProfile(
  db: Executor,
  userId: string,
  changes: { displayName?: string | undefined; about?: string | undefined },
): Promise<ProfileRow | null> {
  const [row] = await db
    .update(users)
    .set(changes)
    .where(eq(users.id, userId))
    .returning(profileColumns);
  return row ?? null;
}

/** The profiles of these users (those that exist). */
export async function listProfiles(db: Executor, userIds: string[]): Promise<ProfileRow[]> {
  if (userIds.length === 0) return [];
  return db.select(profileColumns).from(users).where(inArray(users.id, userIds));
}

/**
 * People search: users whose username starts with `text`, or (for those who allow it) one of
 * whose display name's words starts with each word of `text`; the exact username first, then
 * by username. Someone who is not findable by name is found by their exact username only.
 * Both ways go through an index (users_username_pattern_idx, users_display_name_search_idx).
 */
export async function searchPeople(
  db: Executor,
  request: { searcherId: string; text: string; limit: number },
): Promise<ProfileRow[]> {
  return rowsOf<ProfileRow>(await db.execute(peopleSearchQuery(request)));
}

/** The statement of searchPeople; exported for the benchmark report. */
export function peopleSearchQuery(request: {
  searcherId: string;
  text: string;
  limit: number;
}): SQL {
  const { searcherId, text, limit } = request;
  const lowered = text.trim().toLowerCase();
  // LIKE's own characters in a username (only _ can be there) match themselves.
  const prefix = `${lowered.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  return sql`
    with query as (
      select string_agg(${prefixTerm(sql`lexeme`, 1)}, ' & ')::tsquery as tsquery
      from unnest(to_tsvector('simple'::regconfig, ${text})) as l(lexeme)
    )
    select id, username, display_name as "displayName", about
    from users u
    where u.id <> ${searcherId} and u.deleted_at is null
      and (
        u.username = ${lowered}
        or (u.is_findable_by_name and (
          u.username like ${prefix}
          or to_tsvector('simple'::regconfig, u.display_name) @@ (select tsquery from query)
        ))
      )
    order by u.username = ${lowered} desc, u.username
    limit ${limit}`;
}

/** Which of these users hide their online state and last seen (presence visibility nobody). */
export async function findUsersHidingPresence(
  db: Executor,
  userIds: string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, userIds), eq(users.presenceVisibility, 'nobody')));
  return new Set(rows.map((row) => row.id));
}
