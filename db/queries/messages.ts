import { and, asc, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import { rowsOf, type Database, type Executor } from '../client';
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

/** A message row as json_agg renders it. */
interface MessageJson {
  id: number;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_msg_id: string;
  kind: 'text' | 'system';
  body: string;
  created_at: string;
}

function fromJson(row: MessageJson): MessageRow {
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientMsgId: row.client_msg_id,
    kind: row.kind,
    body: row.body,
    createdAt: new Date(row.created_at),
  };
}

export type NewTextMessage = Omit<NewMessage, 'kind'>;

/**
 * Stores many text messages in one transaction (group commit): what `insertMessage` does for
 * one, in two statements for all of them, so that the cost of a round trip and a commit is
 * shared. The same rules hold:
 *  1. the conversations' rows are locked first, in id order (no deadlock between batches);
 *  2. the second statement starts after the locks are held, so it sees every membership
 *     change that committed before; senders who are not members store nothing;
 *  3. each conversation's messages get the next seqs in the order they are given;
 *  4. a clientMsgId the sender used before (or twice in the batch) is answered with the
 *     stored message, and nothing is written for it.
 * Results come back in the order of `inputs`. When a retry of the same clientMsgId races in
 * from another batch and the unique index refuses it, the batch is rolled back and each
 * message goes through `insertMessage` alone.
 */
export async function insertTextMessages(
  db: Database,
  inputs: NewTextMessage[],
): Promise<InsertMessageResult[]> {
  if (inputs.length === 1) return [await insertMessage(db, { ...inputs[0]!, kind: 'text' })];
  const items = inputs.map((input, index) => ({
    i: index,
    conversation_id: input.conversationId,
    sender_id: input.senderId,
    client_msg_id: input.clientMsgId,
    body: input.body,
  }));
  const conversationIds = [...new Set(inputs.map((input) => input.conversationId))];
  let result: {
    inserted: MessageJson[];
    stored: MessageJson[];
    members: { c: string; u: string }[];
  };
  try {
    result = await db.transaction(async (tx) => {
      await tx.execute(sql`
        select ${conversations.id} from ${conversations}
        where ${conversations.id} in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(conversationIds)}::jsonb))
        order by ${conversations.id}
        for update`);
      const rows = rowsOf<typeof result>(
        await tx.execute(sql`
        with input as (
          select * from jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
            as x(i int, conversation_id uuid, sender_id uuid, client_msg_id uuid, body text)
        ),
        -- Lookups go row by row through the indexes (lateral, fenced by limit): the planner
        -- cannot know how many rows the JSON holds and would otherwise scan whole tables.
        stored as (
          select m.* from input cross join lateral (
            select * from messages m
            where m.sender_id = input.sender_id and m.client_msg_id = input.client_msg_id
            limit 1) m
        ),
        accepted as (
          select distinct on (input.sender_id, input.client_msg_id) input.*
          from input cross join lateral (
            select 1 from conversation_members cm
            where cm.conversation_id = input.conversation_id and cm.user_id = input.sender_id
            limit 1) as member
          where not exists (
            select 1 from stored
            where stored.sender_id = input.sender_id and stored.client_msg_id = input.client_msg_id)
          order by input.sender_id, input.client_msg_id, input.i
        ),
        numbered as (
          select accepted.*,
            c.last_seq + row_number() over (partition by accepted.conversation_id order by accepted.i) as seq
          from accepted join conversations c on c.id = accepted.conversation_id
        ),
        inserted as (
          insert into messages (conversation_id, seq, sender_id, client_msg_id, kind, body)
          select conversation_id, seq, sender_id, client_msg_id, 'text', body from numbered
          order by conversation_id, seq
          returning *
        ),
        moved as (
          update conversations c set last_seq = n.seq, last_message_at = now()
          from (select conversation_id, max(seq) as seq from numbered group by conversation_id) n
          where c.id = n.conversation_id
        ),
        marked as (
          update conversation_members cm
          set read_up_to_seq = greatest(cm.read_up_to_seq, n.seq),
              delivered_up_to_seq = greatest(cm.delivered_up_to_seq, n.seq)
          from (
            select conversation_id, sender_id, max(seq) as seq from numbered
            group by conversation_id, sender_id
          ) n
          where cm.conversation_id = n.conversation_id and cm.user_id = n.sender_id
        )
        select
          (select coalesce(json_agg(inserted), '[]') from inserted) as inserted,
          (select coalesce(json_agg(stored), '[]') from stored) as stored,
          (select coalesce(json_agg(json_build_object('c', c.conversation_id, 'u', m.user_id)), '[]')
             from (select distinct conversation_id from input) c
             cross join lateral (
               select user_id from conversation_members cm
               where cm.conversation_id = c.conversation_id offset 0) m) as members`),
      );
      return rows[0]!;
    });
  } catch (error) {
    if (!isUniqueViolation(error, 'messages_sender_client_msg_key')) throw error;
    const results: InsertMessageResult[] = [];
    for (const input of inputs) results.push(await insertMessage(db, { ...input, kind: 'text' }));
    return results;
  }

  const key = (senderId: string, clientMsgId: string) => `${senderId}/${clientMsgId}`;
  const stored = new Map(
    result.stored.map((row) => [key(row.sender_id, row.client_msg_id), fromJson(row)]),
  );
  const inserted = new Map(
    result.inserted.map((row) => [key(row.sender_id, row.client_msg_id), fromJson(row)]),
  );
  const members = new Map<string, string[]>();
  for (const { c, u } of result.members) {
    const list = members.get(c);
    if (list) list.push(u);
    else members.set(c, [u]);
  }
  const answered = new Set<string>();
  return inputs.map((input) => {
    const id = key(input.senderId, input.clientMsgId);
    const before = stored.get(id);
    if (before) return { status: 'duplicate', message: before };
    const message = inserted.get(id);
    if (!message) return { status: 'not-member' };
    // The second of two sends with one clientMsgId in the same batch stored nothing.
    if (answered.has(id)) return { status: 'duplicate', message };
    // The id was stored by a later send to another conversation: this earlier one was refused
    // (the first member send of a clientMsgId is the one stored).
    if (message.conversationId !== input.conversationId) return { status: 'not-member' };
    answered.add(id);
    return { status: 'created', message, memberIds: members.get(input.conversationId) ?? [] };
  });
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
  return rowsOf<Record<string, string>>(result)
    .map((row) => row['QUERY PLAN'])
    .join('\n');
}
