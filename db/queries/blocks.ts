// Blocks between people (see blocks in db/schema.ts): recorded, listed, and the SQL condition
// that other statements use to leave a blocked pair out.

import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { blocks, conversationMembers, conversations, users } from '../schema';
import { profileColumns, type ProfileRow } from './users';

/** Records that `blockerId` blocked `blockedId` (again: nothing changes). */
export async function insertBlock(
  db: Executor,
  blockerId: string,
  blockedId: string,
): Promise<void> {
  await db.insert(blocks).values({ blockerId, blockedId }).onConflictDoNothing();
}

/** Takes a block away; false when there was none. */
export async function deleteBlock(
  db: Executor,
  blockerId: string,
  blockedId: string,
): Promise<boolean> {
  const rows = await db
    .delete(blocks)
    .where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)))
    .returning({ id: blocks.blockedId });
  return rows.length > 0;
}

/**
 * Marks the direct conversation of the two (if they have one) as blocked or not, on both member
 * rows: what the batched append checks (conversation_members.is_blocked).
 */
export async function setDirectBlocked(
  db: Executor,
  a: string,
  b: string,
  isBlocked: boolean,
): Promise<void> {
  const directKey = [a, b].sort().join(':');
  await db
    .update(conversationMembers)
    .set({ isBlocked })
    .where(
      eq(
        conversationMembers.conversationId,
        sql`(select ${conversations.id} from ${conversations} where ${conversations.directKey} = ${directKey})`,
      ),
    );
}

/**
 * The flags that refuse a member's texts (null: not a member): a block between the two people
 * of a direct conversation, or a group where only admins send.
 */
export async function findMemberSendFlags(
  db: Executor,
  conversationId: string,
  userId: string,
): Promise<{ isBlocked: boolean; canSend: boolean } | null> {
  const [row] = await db
    .select({ isBlocked: conversationMembers.isBlocked, canSend: conversationMembers.canSend })
    .from(conversationMembers)
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
      ),
    );
  return row ?? null;
}

/** The people `blockerId` blocked, by username. */
export async function listBlocked(db: Executor, blockerId: string): Promise<ProfileRow[]> {
  return db
    .select(profileColumns)
    .from(blocks)
    .innerJoin(users, eq(users.id, blocks.blockedId))
    .where(eq(blocks.blockerId, blockerId))
    .orderBy(asc(users.username));
}

/** Who of the two blocked the other: 'me' (a blocked b), 'them' (b blocked a), or null. */
export async function findBlockBetween(
  db: Executor,
  a: string,
  b: string,
): Promise<'me' | 'them' | null> {
  const rows = await db
    .select({ blockerId: blocks.blockerId })
    .from(blocks)
    .where(
      or(
        and(eq(blocks.blockerId, a), eq(blocks.blockedId, b)),
        and(eq(blocks.blockerId, b), eq(blocks.blockedId, a)),
      ),
    );
  if (rows.some((row) => row.blockerId === a)) return 'me';
  return rows.length > 0 ? 'them' : null;
}

/**
 * SQL: whether either of the two users (SQL expressions) blocked the other. The first test,
 * whether anyone blocked anyone, runs once per statement, so that where nobody did (most
 * installations, most of the time) the check costs nothing per row.
 */
export function isBlockedPair(a: SQL, b: SQL): SQL {
  return sql`((select exists (select 1 from blocks)) and exists (
    select 1 from blocks bl
    where (bl.blocker_id = ${a} and bl.blocked_id = ${b})
       or (bl.blocker_id = ${b} and bl.blocked_id = ${a})))`;
}
