import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client';
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

/** Records that the user was connected until now. */
export async function touchLastSeen(db: Executor, userId: string): Promise<Date> {
  const [row] = await db
    .update(users)
    .set({ lastSeenAt: sql`now()` })
    .where(eq(users.id, userId))
    .returning({ lastSeenAt: users.lastSeenAt });
  return row?.lastSeenAt ?? new Date();
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
  });
  return row ?? null;
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
