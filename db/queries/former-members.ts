// People who are no longer in a group (removed, or left) and keep its history up to their going,
// read-only. See former_members in db/schema.ts.

import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor, Transaction } from '../client';
import { conversations, formerMembers, messages } from '../schema';
import {
  listedConversationColumns,
  isShownLast,
  previewOf,
  conversationListRow,
  type ConversationListRow,
} from './conversations';
import { preparedFor } from './prepared';

export type DepartureReason = 'left' | 'removed';

export interface FormerMembership {
  joinedSeq: number;
  /** The seq of the system message that recorded their going: the last one they see. */
  leftSeq: number;
  reason: DepartureReason;
}

/**
 * Records that these people went at `leftSeq`, in the transaction that deleted their member
 * rows. Someone who was a former member before (added again, then gone again) gets the new
 * span: what they see is what their last membership saw.
 */
export async function insertFormerMembers(
  tx: Transaction,
  conversationId: string,
  departures: { userId: string; joinedSeq: number; reason: DepartureReason }[],
  leftSeq: number,
): Promise<void> {
  if (departures.length === 0) return;
  await tx
    .insert(formerMembers)
    .values(departures.map((departure) => ({ conversationId, ...departure, leftSeq })))
    .onConflictDoUpdate({
      target: [formerMembers.conversationId, formerMembers.userId],
      set: {
        joinedSeq: sql`excluded.joined_seq`,
        leftSeq: sql`excluded.left_seq`,
        reason: sql`excluded.reason`,
        leftAt: sql`now()`,
      },
    });
}

/** They are members again: the read-only copy of the conversation gives way to the real one. */
export async function deleteFormerMembers(
  tx: Transaction,
  conversationId: string,
  userIds: string[],
): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .delete(formerMembers)
    .where(
      and(eq(formerMembers.conversationId, conversationId), inArray(formerMembers.userId, userIds)),
    );
}

export async function findFormerMembership(
  db: Executor,
  conversationId: string,
  userId: string,
): Promise<FormerMembership | null> {
  const [row] = await db
    .select({
      joinedSeq: formerMembers.joinedSeq,
      leftSeq: formerMembers.leftSeq,
      reason: formerMembers.reason,
    })
    .from(formerMembers)
    .where(and(eq(formerMembers.conversationId, conversationId), eq(formerMembers.userId, userId)))
    .limit(1);
  return row ?? null;
}

/**
 * The groups the user was in, as they were when the user went: the last message is the one that
 * recorded it, and nothing of what happened since (messages, receipts, members) shows.
 */
export async function listFormerConversationsForUser(
  db: Executor,
  userId: string,
  options: { previewLength: number },
): Promise<ConversationListRow[]> {
  // With every conversation list: built once (prepared.ts).
  const query = preparedFor(db, 'list_former_conversations', (executor, name) => {
    const person = sql.placeholder('userId');
    const last = alias(messages, 'last');
    return executor
      .select({
        // Their devices keep syncing changes of what they can read (a deletion erases it there
        // too): lastChangeSeq is among these.
        ...listedConversationColumns,
        leftSeq: formerMembers.leftSeq,
        reason: formerMembers.reason,
        lastMessage: previewOf(last, sql.placeholder('previewLength')),
      })
      .from(formerMembers)
      .innerJoin(conversations, eq(conversations.id, formerMembers.conversationId))
      .leftJoin(last, isShownLast(last, person, formerMembers.leftSeq))
      .where(eq(formerMembers.userId, person))
      .orderBy(desc(formerMembers.leftAt))
      .prepare(name);
  });
  const rows = await query.execute({ userId, previewLength: options.previewLength });
  return rows.map((row) =>
    conversationListRow(row, {
      lastMessage: row.lastMessage,
      lastSeq: row.leftSeq,
      lastMessageAt: row.lastMessage?.createdAt ?? null,
      // Everything up to their going counts as read and delivered: nothing more will come.
      readSeq: row.leftSeq,
      deliveredSeq: row.leftSeq,
      unreadGone: 0,
      // Receipts and members after they went are not theirs to see.
      deliveredToAllSeq: 0,
      readByAllSeq: 0,
      memberCount: 0,
      myRole: 'member' as const,
      isMuted: false,
      // Their member row, and with it a pin or an archiving, went with them.
      pinnedAt: null,
      archivedAt: null,
      peer: null,
      membership: row.reason,
    }),
  );
}
