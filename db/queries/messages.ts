// Appending messages through append_messages (db/migrations/0014_append_messages.sql), the one
// place that gives a message its seq.

import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Database, type Executor, type Transaction } from '../client';
import { isUniqueViolation } from '../errors';
import { messages, type MessageRow } from '../schema';
import { assertLockHeld, type ConversationLock } from './locks';

/** A person's message: stored once per (sender, clientMsgId), and only while they are a member. */
export interface TextItem {
  kind: 'text';
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: string;
  /** Answers this message of the same conversation, which the sender must see. */
  replyToSeq?: number;
  /** A copy made by "Forward". */
  isForwarded?: boolean;
}

/**
 * A record of a change the caller has decided under the lock ("alice added bob"), in the
 * actor's name, whether or not they are still a member (someone who left records it too).
 */
export interface SystemItem {
  kind: 'system';
  conversationId: string;
  senderId: string;
  body: string;
}

/**
 * `count` text messages "generated message <seq>" from a member, for benchmarks and planner
 * tests: thousands in one statement. They move nobody's read or delivered markers.
 */
export interface GeneratedItem {
  kind: 'generated';
  conversationId: string;
  senderId: string;
  count: number;
}

export type AppendItem = TextItem | SystemItem | GeneratedItem;

export type SendResult =
  | { status: 'created'; message: MessageRow; memberIds: string[] }
  | { status: 'duplicate'; message: MessageRow }
  /**
   * Not a member; or a member of a direct conversation with a block between its two people
   * (conversation_members.is_blocked), or of a group where only admins send (can_send), which
   * the caller tells apart on this refused path.
   */
  | { status: 'not-member' }
  /** The sender is a member, but replyToSeq names no message of the conversation they see. */
  | { status: 'no-reply-target' };

export interface RecordedResult {
  status: 'recorded';
  message: MessageRow;
}

export type GeneratedResult =
  { status: 'generated'; fromSeq: number; toSeq: number } | { status: 'not-member' };

/** What appendMessages answers for each kind of item. */
export type AppendResult<I extends AppendItem> = I extends TextItem
  ? SendResult
  : I extends SystemItem
    ? RecordedResult
    : GeneratedResult;

/**
 * A messages row as SQL hands it over raw: snake case, the id as a number or (bigint) text, times
 * as text (json_agg, postgres.js) or Date (PGlite).
 */
export interface MessageJson {
  id: string | number;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_msg_id: string;
  kind: 'text' | 'system';
  body: string;
  created_at: Date | string;
  change_seq: number;
  reply_to_seq: number | null;
  is_forwarded: boolean;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  deleted_by: string | null;
}

interface AppendRows {
  inserted: { i: number; message: MessageJson }[];
  stored: (MessageJson & { i: number })[];
  generated: { i: number; from: number; to: number }[];
  members: { c: string; u: string }[];
  /** Items of members whose replyToSeq names no message they see; null when there are none. */
  unanswerable: number[] | null;
}

const NOT_MEMBER = { status: 'not-member' } as const;
const NO_REPLY_TARGET = { status: 'no-reply-target' } as const;

/**
 * Appends messages at each conversation's next seqs, in one statement: the function
 * append_messages (db/migrations/0014_append_messages.sql). The rules:
 *  1. it locks the conversations' rows (in id order, so that two calls that lock several never
 *     deadlock) and appends in a second statement of its own, which sees every membership
 *     change that committed before the lock was granted (a VOLATILE function takes a new
 *     snapshot per statement): text and generated items of senders who are not members store
 *     nothing and spend no seq;
 *  2. each conversation's messages get the next seqs, gap-free, in the order they are given;
 *  3. a clientMsgId the sender used before (or earlier in `items`) is answered with the stored
 *     message, and nothing is written for it; the first member send of a clientMsgId is the
 *     one stored, so an earlier send of it to a conversation the sender is not in is refused;
 *  4. last_seq and last_message_at move, and so do the read and delivered markers of the
 *     senders of text and system items (your own messages are never unread);
 *  5. the members of each conversation that got a text message are read after the lock: they
 *     are whom to tell;
 *  6. a reply (replyToSeq) is stored only when it names a message of the same conversation
 *     that the sender sees (from their joined_seq on); a plain send's check stops at its
 *     missing replyToSeq.
 * Every lookup goes row by row through an index. Answers come in the order of `items`. A retry
 * of a clientMsgId that races in from another transaction fails the statement with a unique
 * violation of messages_sender_client_msg_key (storeMessages handles it).
 */
async function append<I extends AppendItem>(db: Executor, items: I[]): Promise<AppendResult<I>[]> {
  if (items.length === 0) return [];
  for (const item of items) {
    // A count below one would move last_seq back.
    if (item.kind === 'generated' && !(Number.isInteger(item.count) && item.count >= 1)) {
      throw new Error(`cannot generate ${item.count} messages`);
    }
  }
  const input = items.map((item, index) => ({
    i: index,
    kind: item.kind,
    conversation_id: item.conversationId,
    sender_id: item.senderId,
    // Only a person's message has an id of its own; the others are each new.
    client_msg_id: item.kind === 'text' ? item.clientMsgId : randomUUID(),
    body: item.kind === 'generated' ? null : item.body,
    n: item.kind === 'generated' ? item.count : 1,
    // Only when set: a plain send's JSON stays short (absent keys read as null).
    ...(item.kind === 'text' && item.replyToSeq !== undefined
      ? { reply_to_seq: item.replyToSeq }
      : {}),
    ...(item.kind === 'text' && item.isForwarded ? { is_forwarded: true } : {}),
  }));
  const [row] = rowsOf<{
    inserted_rows: AppendRows['inserted'];
    stored_rows: AppendRows['stored'];
    generated_rows: AppendRows['generated'];
    member_rows: AppendRows['members'];
    unanswerable_items: AppendRows['unanswerable'];
  }>(await db.execute(sql`select * from append_messages(${JSON.stringify(input)}::jsonb)`));
  if (!row) throw new Error('appending messages returned no row');
  return answer(items, {
    inserted: row.inserted_rows,
    stored: row.stored_rows,
    generated: row.generated_rows,
    members: row.member_rows,
    unanswerable: row.unanswerable_items,
  }) as AppendResult<I>[];
}

/**
 * Appends messages (see `append`) within a transaction that already holds the conversations'
 * row locks: a group change, say, that records what it did under the same lock.
 */
export function appendMessages<I extends AppendItem>(
  tx: Transaction,
  lock: ConversationLock,
  items: I[],
): Promise<AppendResult<I>[]> {
  assertLockHeld(
    tx,
    lock,
    items.map((item) => item.conversationId),
  );
  return append(tx, items);
}

/** Each item's answer, from what the statement stored and found. */
function answer(
  items: AppendItem[],
  rows: AppendRows,
): (SendResult | RecordedResult | GeneratedResult)[] {
  const inserted = new Map(rows.inserted.map((row) => [row.i, messageFromJson(row.message)]));
  const stored = new Map(rows.stored.map((row) => [row.i, messageFromJson(row)]));
  const generated = new Map(rows.generated.map((row) => [row.i, row]));
  const unanswerable = new Set(rows.unanswerable ?? []);
  const members = new Map<string, string[]>();
  for (const { c, u } of rows.members) {
    const list = members.get(c);
    if (list) list.push(u);
    else members.set(c, [u]);
  }
  // Which item stored each (sender, clientMsgId) of this call.
  const storedBy = new Map<string, number>();
  for (const [index, message] of inserted) {
    storedBy.set(keyOf(message.senderId, message.clientMsgId), index);
  }
  return items.map((item, index) => {
    switch (item.kind) {
      case 'system': {
        const message = inserted.get(index);
        if (!message) throw new Error(`no conversation ${item.conversationId}`);
        return { status: 'recorded', message };
      }
      case 'generated': {
        const range = generated.get(index);
        return range ? { status: 'generated', fromSeq: range.from, toSeq: range.to } : NOT_MEMBER;
      }
      case 'text': {
        const before = stored.get(index);
        if (before) return { status: 'duplicate', message: before };
        const message = inserted.get(index);
        if (message) {
          return {
            status: 'created',
            message,
            memberIds: members.get(message.conversationId) ?? [],
          };
        }
        // The first of two sends with one clientMsgId in this call was stored: this one is its
        // duplicate. A later one stored means this earlier send was refused (not a member).
        const first = storedBy.get(keyOf(item.senderId, item.clientMsgId));
        if (first !== undefined && first < index) {
          return { status: 'duplicate', message: inserted.get(first)! };
        }
        return unanswerable.has(index) ? NO_REPLY_TARGET : NOT_MEMBER;
      }
    }
  });
}

function keyOf(senderId: string, clientMsgId: string): string {
  return `${senderId}/${clientMsgId}`.toLowerCase();
}

/** A messages row as SQL hands it over (see MessageJson). */
export function messageFromJson(row: MessageJson): MessageRow {
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientMsgId: row.client_msg_id,
    kind: row.kind,
    body: row.body,
    createdAt: new Date(row.created_at),
    changeSeq: row.change_seq,
    replyToSeq: row.reply_to_seq,
    isForwarded: row.is_forwarded,
    editedAt: row.edited_at === null ? null : new Date(row.edited_at),
    deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at),
    deletedBy: row.deleted_by,
  };
}

/**
 * People's messages, in one statement of their own (`append`: one transaction and one round
 * trip for a whole batch, the lock included). When a retry of the same clientMsgId races in
 * from another transaction and the unique index refuses the batch, each message is tried
 * again alone; alone and refused, it is answered with the winner.
 */
export async function storeMessages(db: Database, items: TextItem[]): Promise<SendResult[]> {
  if (items.length === 0) return [];
  try {
    return await append(db, items);
  } catch (error) {
    if (!isUniqueViolation(error, 'messages_sender_client_msg_key')) throw error;
    if (items.length > 1) {
      const results: SendResult[] = [];
      for (const item of items) results.push(...(await storeMessages(db, [item])));
      return results;
    }
    const item = items[0]!;
    const winner = await findMessageByClientMsgId(db, item.senderId, item.clientMsgId);
    if (!winner) throw error;
    return [{ status: 'duplicate', message: winner }];
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
