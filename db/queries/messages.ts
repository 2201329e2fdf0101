import { and, asc, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client';
import { isUniqueViolation } from '../errors';
import { conversationMembers, conversations, messages, type MessageRow } from '../schema';
import { listMemberIds } from './conversations';

export interface NewMessage {
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  kind: 'text' | 'system';
  body: string;
}

export type InsertMessageResult =
  | { status: 'created'; message: MessageRow; memberIds: string[] }
  | { status: 'duplicate'; message: MessageRow }
  | { status: 'not-member' };

/** Thrown inside the transaction to roll it back when the sender is not a member. */
class NotMemberRollback extends Error {}

/**
 * Stores a message at the conversation's next seq, in one transaction:
 *  1. increment conversations.last_seq: the row lock serialises concurrent senders, so seqs
 *     have no gaps and no repeats. Every membership change takes this lock too;
 *  2. read the members after the lock is held, so the sender's membership is checked against
 *     any removal that committed first (READ COMMITTED takes a new snapshot per statement);
 *  3. insert the message; UNIQUE(sender_id, client_msg_id) turns a racing retry into 'duplicate';
 *  4. move the sender's own read and delivered markers to the new seq.
 * A retry with a known clientMsgId returns the stored message without writing anything.
 */
export async function insertMessage(db: Database, input: NewMessage): Promise<InsertMessageResult> {
  const stored = await findMessageByClientMsgId(db, input.senderId, input.clientMsgId);
  if (stored) return { status: 'duplicate', message: stored };
  try {
    return await db.transaction(async (tx) => {
      const [conversation] = await tx
        .update(conversations)
        .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: sql`now()` })
        .where(eq(conversations.id, input.conversationId))
        .returning({ lastSeq: conversations.lastSeq });
      if (!conversation) throw new NotMemberRollback();

      const memberIds = await listMemberIds(tx, input.conversationId);
      if (!memberIds.includes(input.senderId)) throw new NotMemberRollback();

      const [message] = await tx
        .insert(messages)
        .values({ ...input, seq: conversation.lastSeq })
        .returning();
      if (!message) throw new Error('insert into messages returned no row');

      await tx
        .update(conversationMembers)
        .set({ readUpToSeq: message.seq, deliveredUpToSeq: message.seq })
        .where(
          and(
            eq(conversationMembers.conversationId, input.conversationId),
            eq(conversationMembers.userId, input.senderId),
          ),
        );
      return { status: 'created', message, memberIds } as const;
    });
  } catch (error) {
    if (error instanceof NotMemberRollback) return { status: 'not-member' };
    // The same clientMsgId raced in from another tab or a retry: that one was stored first.
    if (!isUniqueViolation(error, 'messages_sender_client_msg_key')) throw error;
    const winner = await findMessageByClientMsgId(db, input.senderId, input.clientMsgId);
    if (!winner) throw error;
    return { status: 'duplicate', message: winner };
  }
}

export async function findMessageByClientMsgId(
  db: Executor,
  senderId: string,
  clientMsgId: string,
): Promise<MessageRow | null> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientMsgId, clientMsgId)))
    .limit(1);
  return row ?? null;
}

export async function findMessageBySeq(
  db: Executor,
  conversationId: string,
  seq: number,
): Promise<MessageRow | null> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
    .limit(1);
  return row ?? null;
}

/**
 * A page of history, oldest first: the `limit` messages just below `beforeSeq` (or the newest).
 * Keyset pagination on (conversation_id, seq), served by messages_conversation_seq_key.
 */
export async function listMessagesBefore(
  db: Executor,
  conversationId: string,
  options: { beforeSeq?: number; limit: number; fromSeq?: number },
): Promise<{ messages: MessageRow[]; hasMore: boolean }> {
  const rows = await messagesBeforeQuery(db, conversationId, {
    ...options,
    limit: options.limit + 1,
  });
  const hasMore = rows.length > options.limit;
  const page = hasMore ? rows.slice(0, options.limit) : rows;
  return { messages: page.reverse(), hasMore };
}

/** A page of sync: the `limit` messages just above `afterSeq`, oldest first. */
export async function listMessagesAfter(
  db: Executor,
  conversationId: string,
  options: { afterSeq: number; limit: number; fromSeq?: number },
): Promise<{ messages: MessageRow[]; hasMore: boolean }> {
  const rows = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        gt(messages.seq, Math.max(options.afterSeq, (options.fromSeq ?? 0) - 1)),
      ),
    )
    .orderBy(asc(messages.seq))
    .limit(options.limit + 1);
  const hasMore = rows.length > options.limit;
  return { messages: hasMore ? rows.slice(0, options.limit) : rows, hasMore };
}

/** `fromSeq`: a member added later sees messages from the one that recorded their arrival. */
function messagesBeforeQuery(
  db: Executor,
  conversationId: string,
  options: { beforeSeq?: number; limit: number; fromSeq?: number },
) {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        options.beforeSeq === undefined ? undefined : lt(messages.seq, options.beforeSeq),
        options.fromSeq ? gte(messages.seq, options.fromSeq) : undefined,
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(options.limit);
}

/** The plan PostgreSQL picks for a history page: for tests and the benchmark report. */
export async function explainMessagesBefore(
  db: Executor,
  conversationId: string,
  options: { beforeSeq?: number; limit: number },
): Promise<string> {
  const result = await db.execute(
    sql`explain ${messagesBeforeQuery(db, conversationId, options).getSQL()}`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    string
  >[];
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}
