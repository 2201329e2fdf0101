// A member's own settings of a conversation: muted, pinned to the top of their list, archived.
// Only the member's row is written; nothing here runs on the send path.

import { and, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../client';
import { conversationMembers, conversations } from '../schema';

export interface MemberFlagsRow {
  conversationId: string;
  isMuted: boolean;
  pinnedAt: Date | null;
  /** As stored: whether it still shows as archived is decided when read (isArchivedNow). */
  archivedAt: Date | null;
  /** The conversation's newest message (null when it has none): what isArchivedNow compares. */
  lastMessageAt: Date | null;
  createdAt: Date;
}

const member = conversationMembers;

const flagColumns = {
  conversationId: member.conversationId,
  isMuted: member.isMuted,
  pinnedAt: member.pinnedAt,
  archivedAt: member.archivedAt,
  lastMessageAt: conversations.lastMessageAt,
  createdAt: conversations.createdAt,
};

function isMember(conversationId: string, userId: string) {
  return and(
    eq(member.conversationId, conversationId),
    eq(member.userId, userId),
    eq(conversations.id, member.conversationId),
  );
}

/**
 * Holds off every other pin of this user until the transaction ends: a transaction-scoped
 * advisory lock on the user, so that two pins at once cannot both count two pinned chats and
 * make four. It locks no row, so it can wait for nothing but another pin of the same user.
 */
export async function lockPinsOf(tx: Transaction, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`pin:${userId}`}, 0))`);
}

/** How many conversations the user has pinned. */
export async function countPinned(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ pinned: count() })
    .from(member)
    .where(and(eq(member.userId, userId), isNotNull(member.pinnedAt)));
  return row?.pinned ?? 0;
}

/** The member's settings of the conversation; null when they are not in it. */
export async function findMemberFlags(
  db: Executor,
  conversationId: string,
  userId: string,
): Promise<MemberFlagsRow | null> {
  const [row] = await db
    .select(flagColumns)
    .from(member)
    .innerJoin(conversations, eq(conversations.id, member.conversationId))
    .where(and(eq(member.conversationId, conversationId), eq(member.userId, userId)));
  return row ?? null;
}

/**
 * Pins it (a pin keeps its first time, so a repeat changes nothing) or unpins it. A pinned
 * chat is never archived: pinning takes it out of the archive. Null when not a member.
 */
export async function setConversationPinned(
  db: Executor,
  conversationId: string,
  userId: string,
  isPinned: boolean,
): Promise<MemberFlagsRow | null> {
  const [row] = await db
    .update(member)
    .set(
      isPinned
        ? { pinnedAt: sql`coalesce(${member.pinnedAt}, now())`, archivedAt: null }
        : { pinnedAt: null },
    )
    .from(conversations)
    .where(isMember(conversationId, userId))
    .returning(flagColumns);
  return row ?? null;
}

/**
 * Archives it from now (a later message brings an unmuted chat back) and unpins it, or takes
 * it out of the archive. Null when not a member.
 */
export async function setConversationArchived(
  db: Executor,
  conversationId: string,
  userId: string,
  isArchived: boolean,
): Promise<MemberFlagsRow | null> {
  const [row] = await db
    .update(member)
    .set(isArchived ? { archivedAt: sql`now()`, pinnedAt: null } : { archivedAt: null })
    .from(conversations)
    .where(isMember(conversationId, userId))
    .returning(flagColumns);
  return row ?? null;
}

/**
 * Mutes or unmutes it, keeping it where it shows: an archived chat that a message brought back
 * stays out of the archive once muted (archived_at cleared), and one that shows as archived
 * stays in it once unmuted (archived_at moved up to its newest message, which would otherwise
 * bring it back). The right-hand sides read the row as it was. Null when not a member.
 */
export async function setConversationMuted(
  db: Executor,
  conversationId: string,
  userId: string,
  isMuted: boolean,
): Promise<MemberFlagsRow | null> {
  const archivedAt = member.archivedAt;
  const lastMessageAt = conversations.lastMessageAt;
  const [row] = await db
    .update(member)
    .set({
      isMuted,
      archivedAt: sql`case
        when ${archivedAt} is null then null
        when not ${member.isMuted} and ${lastMessageAt} > ${archivedAt} then null
        else greatest(${archivedAt}, ${lastMessageAt}) end`,
    })
    .from(conversations)
    .where(isMember(conversationId, userId))
    .returning(flagColumns);
  return row ?? null;
}
