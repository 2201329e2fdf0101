// Deleting an account: what is erased, and when its username may be taken again.

import { and, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../client';
import { blocks, conversationMembers, conversations, users } from '../schema';
import { deleteAllPushSubscriptionsOfUser } from './admin-users';
import { deleteSessionsOfUser } from './sessions';

/** The groups the user is a member of now. */
export async function listGroupIdsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, userId), eq(conversations.kind, 'group')));
  return rows.map((row) => row.id);
}

/**
 * Erases what identifies or reaches the person, keeping the row that their past messages name
 * as sender: the profile (the name becomes `shownName`), the password (no hash can
 * match ''), every session, push subscription and block, and their privacy choices (hidden from
 * everyone). Their direct chats are closed both ways (is_blocked), so nothing more is sent to
 * nobody. False when the account was deleted already.
 */
export async function eraseAccount(
  tx: Transaction,
  userId: string,
  shownName: string,
): Promise<boolean> {
  const erased = await tx
    .update(users)
    .set({
      deletedAt: sql`now()`,
      displayName: shownName,
      about: '',
      passwordHash: '',
      role: 'user',
      presenceVisibility: 'nobody',
      isSendingReadReceipts: false,
      isFindableByName: false,
    })
    .where(and(eq(users.id, userId), sql`${users.deletedAt} is null`))
    .returning({ id: users.id });
  if (erased.length === 0) return false;
  await deleteSessionsOfUser(tx, userId);
  await deleteAllPushSubscriptionsOfUser(tx, userId);
  await tx.delete(blocks).where(or(eq(blocks.blockerId, userId), eq(blocks.blockedId, userId)));
  const directIds = tx
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, userId), eq(conversations.kind, 'direct')));
  await tx
    .update(conversationMembers)
    .set({ isBlocked: true })
    .where(inArray(conversationMembers.conversationId, directIds));
  return true;
}

/**
 * Frees a username held by an account deleted before `deletedBefore` (the grace period is
 * over): the old row takes a name no person can choose ('~' and its id). True when it did.
 */
export async function releaseDeletedUsername(
  db: Executor,
  username: string,
  deletedBefore: Date,
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ username: sql`'~' || replace(${users.id}::text, '-', '')` })
    .where(
      and(
        eq(users.username, username),
        isNotNull(users.deletedAt),
        lt(users.deletedAt, deletedBefore),
      ),
    )
    .returning({ id: users.id });
  return rows.length > 0;
}
