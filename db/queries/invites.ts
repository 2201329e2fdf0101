// Group invite links (group_invites): at most one live link per group, found by its code.

import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../client';
import { blocks, conversationMembers, conversations, groupInvites } from '../schema';
import { assertLockHeld, type ConversationLock } from './locks';

/** The code of the group's live link, or null. */
export async function findLiveInviteCode(
  db: Executor,
  conversationId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ code: groupInvites.code })
    .from(groupInvites)
    .where(and(eq(groupInvites.conversationId, conversationId), isNull(groupInvites.revokedAt)))
    .limit(1);
  return row?.code ?? null;
}

/** The group a live link leads to, and who made the link; null when unknown or revoked. */
export async function findLiveInvite(
  db: Executor,
  code: string,
): Promise<{ conversationId: string; createdBy: string | null } | null> {
  const [row] = await db
    .select({ conversationId: groupInvites.conversationId, createdBy: groupInvites.createdBy })
    .from(groupInvites)
    .where(and(eq(groupInvites.code, code), isNull(groupInvites.revokedAt)))
    .limit(1);
  return row ?? null;
}

/** A new live link for the group, whose lock is held and which has none. */
export async function insertInvite(
  tx: Transaction,
  lock: ConversationLock,
  values: { conversationId: string; code: string; createdBy: string },
): Promise<void> {
  assertLockHeld(tx, lock, [values.conversationId]);
  await tx.insert(groupInvites).values(values);
}

/** Ends the group's live link, if it has one; false when it had none. */
export async function revokeInvite(
  tx: Transaction,
  lock: ConversationLock,
  conversationId: string,
): Promise<boolean> {
  assertLockHeld(tx, lock, [conversationId]);
  const rows = await tx
    .update(groupInvites)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(groupInvites.conversationId, conversationId), isNull(groupInvites.revokedAt)))
    .returning({ id: groupInvites.id });
  return rows.length > 0;
}

/** Which of `blockerIds` blocked `blockedId`. */
export async function findBlockersAmong(
  db: Executor,
  blockerIds: string[],
  blockedId: string,
): Promise<string[]> {
  if (blockerIds.length === 0) return [];
  const rows = await db
    .select({ id: blocks.blockerId })
    .from(blocks)
    .where(and(inArray(blocks.blockerId, blockerIds), eq(blocks.blockedId, blockedId)));
  return rows.map((row) => row.id);
}

/**
 * What an invite link shows before joining: the group's name, description and size, and
 * whether `userId` is in it already.
 */
export async function findGroupPreview(
  db: Executor,
  conversationId: string,
  userId: string,
): Promise<{ title: string; description: string; memberCount: number; isMember: boolean } | null> {
  const [row] = await db
    .select({
      title: conversations.title,
      description: conversations.description,
      memberCount: sql<number>`(select count(*)::int from ${conversationMembers}
        where ${conversationMembers.conversationId} = ${conversations.id})`,
      isMember: sql<boolean>`exists (select 1 from ${conversationMembers}
        where ${conversationMembers.conversationId} = ${conversations.id}
          and ${conversationMembers.userId} = ${userId})`,
    })
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.kind, 'group')));
  return row ? { ...row, title: row.title ?? '' } : null;
}
