// The admin console's reads and writes of accounts: the users list, the row locks an admin
// action takes, disabling, roles, and the overview's counts. Who may do what is server/auth's.

import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor, type Transaction } from '../client';
import { pushSubscriptions, users } from '../schema';
import { prefixTerm } from './search';

export interface AdminUserRow {
  id: string;
  username: string;
  displayName: string;
  role: 'user' | 'admin';
  createdAt: Date;
  lastSeenAt: Date | null;
  disabledAt: Date | null;
  deletedAt: Date | null;
}

const adminUserColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  createdAt: users.createdAt,
  lastSeenAt: users.lastSeenAt,
  disabledAt: users.disabledAt,
  deletedAt: users.deletedAt,
};

/**
 * The users list, newest first: everyone for '' , else those whose username starts with `text`
 * or whose display name has a word that starts with each of its words (the two indexes of
 * people search). `afterId` is the last user of the previous page: the page continues below
 * it in (created_at, id), so people who sign up meanwhile shift nothing. Without `text` this is
 * a scan with a top-N sort (users has no index on created_at): fine for an admin's page.
 */
export async function listUsersForAdmin(
  db: Executor,
  request: { text: string; afterId?: string | undefined; limit: number },
): Promise<AdminUserRow[]> {
  const conditions: SQL[] = [];
  const text = request.text.trim();
  if (text !== '') {
    // LIKE's own characters in a username (only _ can be there) match themselves.
    const prefix = `${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    conditions.push(
      or(
        sql`${users.username} like ${prefix}`,
        sql`to_tsvector('simple'::regconfig, ${users.displayName}) @@ (
          select string_agg(${prefixTerm(sql`lexeme`, 1)}, ' & ')::tsquery
          from unnest(to_tsvector('simple'::regconfig, ${text})) as l(lexeme))`,
      )!,
    );
  }
  if (request.afterId) {
    conditions.push(
      sql`(${users.createdAt}, ${users.id}) < (
        select a.created_at, a.id from users a where a.id = ${request.afterId}::uuid)`,
    );
  }
  return db
    .select(adminUserColumns)
    .from(users)
    .where(and(...conditions))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(request.limit);
}

export async function findUserForAdmin(db: Executor, userId: string): Promise<AdminUserRow | null> {
  const [row] = await db.select(adminUserColumns).from(users).where(eq(users.id, userId));
  return row ?? null;
}

/**
 * Locks these users' rows (`SELECT … FOR UPDATE`) in id order, so that two admins acting on
 * each other at once never deadlock; returns those that exist.
 */
export async function lockUsers(tx: Transaction, userIds: string[]): Promise<AdminUserRow[]> {
  return tx
    .select(adminUserColumns)
    .from(users)
    .where(inArray(users.id, [...new Set(userIds)]))
    .orderBy(users.id)
    .for('update');
}

/** Sets (a time) or clears (null) disabled_at; answers with the row. */
export async function setUserDisabledAt(
  db: Executor,
  userId: string,
  disabledAt: Date | null,
): Promise<AdminUserRow> {
  const [row] = await db
    .update(users)
    .set({ disabledAt })
    .where(eq(users.id, userId))
    .returning(adminUserColumns);
  if (!row) throw new Error('update of users returned no row');
  return row;
}

export async function setUserRoleById(
  db: Executor,
  userId: string,
  role: 'user' | 'admin',
): Promise<AdminUserRow> {
  const [row] = await db
    .update(users)
    .set({ role })
    .where(eq(users.id, userId))
    .returning(adminUserColumns);
  if (!row) throw new Error('update of users returned no row');
  return row;
}

/** Forgets every browser a user asked notifications on; returns how many. */
export async function deleteAllPushSubscriptionsOfUser(
  db: Executor,
  userId: string,
): Promise<number> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .returning({ id: pushSubscriptions.id });
  return rows.length;
}

export interface AdminCounts {
  /** Not deleted (disabled ones included). */
  users: number;
  admins: number;
  /** Text messages created at or after `since`. */
  messagesToday: number;
}

/**
 * The overview's counts, one statement. Today's messages are counted by a scan of messages:
 * an index on created_at would cost every send a write for a number an admin asks for now and
 * then.
 */
export async function countForAdmin(db: Executor, since: Date): Promise<AdminCounts> {
  const [row] = rowsOf<AdminCounts>(
    await db.execute(sql`
      select
        (select count(*) from users where deleted_at is null)::int as users,
        (select count(*) from users where role = 'admin' and deleted_at is null)::int as admins,
        (select count(*) from messages
          where kind = 'text' and created_at >= ${since.toISOString()}::timestamptz
        )::int as "messagesToday"`),
  );
  if (!row) throw new Error('the counts returned no row');
  return row;
}
