// Appending messages: the one place that gives a message its seq.

import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Database, type Executor, type Transaction } from '../client';
import { isUniqueViolation } from '../errors';
import { messages, type MessageRow } from '../schema';
import { assertLockHeld, inTransaction, lockConversations, type ConversationLock } from './locks';

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
  /** Items of members whose replyToSeq names no message they see (only asked when any has one). */
  unanswerable?: number[] | null;
}

const NOT_MEMBER = { status: 'not-member' } as const;
const NO_REPLY_TARGET = { status: 'no-reply-target' } as const;

/**
 * Appends messages to conversations whose rows `lock` holds, in one statement, at each
 * conversation's next seqs. The rules:
 *  1. the lock (lockConversations, in id order) was taken by an earlier statement, so this one
 *     sees every membership change that committed before it (READ COMMITTED takes a new
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
 *     that the sender sees (from their joined_seq on). Only a batch with a reply in it pays
 *     for that check: a plain send runs the same statement as before replies existed.
 * Every lookup goes row by row through an index. Answers come in the order of `items`. A retry
 * of a clientMsgId that races in from another transaction fails the statement with a unique
 * violation of messages_sender_client_msg_key (storeMessages handles it).
 */
export async function appendMessages<I extends AppendItem>(
  tx: Transaction,
  lock: ConversationLock,
  items: I[],
): Promise<AppendResult<I>[]> {
  if (items.length === 0) return [];
  assertLockHeld(
    tx,
    lock,
    items.map((item) => item.conversationId),
  );
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
    // Only when set: a plain send's JSON stays as it was (absent keys read as null).
    ...(item.kind === 'text' && item.replyToSeq !== undefined
      ? { reply_to_seq: item.replyToSeq }
      : {}),
    ...(item.kind === 'text' && item.isForwarded ? { is_forwarded: true } : {}),
  }));
  const hasReplies = items.some((item) => item.kind === 'text' && item.replyToSeq !== undefined);
  // The message a reply answers: in the conversation, and seen by its sender.
  const isReplyTargetSeen = sql`exists (
            select 1 from messages q
            where q.conversation_id = input.conversation_id and q.seq = input.reply_to_seq
              and q.seq >= member.joined_seq)`;
  const [rows] = rowsOf<AppendRows>(
    await tx.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
          as x(i int, kind text, conversation_id uuid, sender_id uuid, client_msg_id uuid, body text, n int,
            reply_to_seq int, is_forwarded boolean)
      ),
      -- Lookups go row by row through the indexes (lateral, fenced by limit): the planner
      -- cannot know how many rows the JSON holds and would otherwise scan whole tables.
      stored as (
        select input.i, m.* from input cross join lateral (
          select * from messages m
          where m.sender_id = input.sender_id and m.client_msg_id = input.client_msg_id
          limit 1) m
        where input.kind = 'text'
      ),
      accepted as (
        select distinct on (input.sender_id, input.client_msg_id) input.*
        from input left join lateral (
          select true as is_member, cm.is_blocked, cm.can_send
            ${hasReplies ? sql`, cm.joined_seq` : sql``}
          from conversation_members cm
          where cm.conversation_id = input.conversation_id and cm.user_id = input.sender_id
          limit 1) member on true
        -- A direct conversation with a block between its two people takes no text, nor does a
        -- group where only admins send from anyone else (both flags are on the member rows:
        -- this check reads nothing more).
        where (input.kind = 'system'
            or (member.is_member and not member.is_blocked and member.can_send))
          ${hasReplies ? sql`and (input.reply_to_seq is null or ${isReplyTargetSeen})` : sql``}
          and not exists (
            select 1 from stored
            where stored.sender_id = input.sender_id and stored.client_msg_id = input.client_msg_id)
        order by input.sender_id, input.client_msg_id, input.i
      ),
      -- Each item takes n seqs (1 but for generated ones), ending at to_seq.
      numbered as (
        select accepted.*,
          c.last_seq + sum(accepted.n) over (partition by accepted.conversation_id order by accepted.i) as to_seq
        from accepted cross join lateral (
          select c.last_seq from conversations c where c.id = accepted.conversation_id limit 1) c
      ),
      inserted as (
        insert into messages (conversation_id, seq, sender_id, client_msg_id, kind, body, reply_to_seq, is_forwarded)
        select conversation_id, to_seq, sender_id, client_msg_id, kind, body, reply_to_seq,
          coalesce(is_forwarded, false)
        from numbered
        where kind <> 'generated'
        order by conversation_id, to_seq
        returning *
      ),
      generated as (
        insert into messages (conversation_id, seq, sender_id, client_msg_id, kind, body)
        select g.conversation_id, seq, g.sender_id, gen_random_uuid(), 'text', 'generated message ' || seq
        from (select * from numbered where kind = 'generated' order by conversation_id, i) g
        cross join lateral generate_series(g.to_seq - g.n + 1, g.to_seq) as seq
      ),
      moved as (
        update conversations c set last_seq = n.seq, last_message_at = now()
        from (select conversation_id, max(to_seq) as seq from numbered group by conversation_id) n
        where c.id = n.conversation_id
          -- The ids as an array: the rows come through the primary key. Joined with the CTE
          -- alone, a table of up to tens of thousands of rows is scanned whole.
          and c.id = any(array(select conversation_id from numbered))
      ),
      -- The senders' member rows, locked in key order before any is written: the marker
      -- writer (advanceMarkers) locks its rows in the same order, so two batches that share
      -- rows wait for each other instead of deadlocking.
      senders as materialized (
        select cm.conversation_id, cm.user_id from conversation_members cm
        where cm.conversation_id = any(array(select conversation_id from numbered))
          and (cm.conversation_id, cm.user_id) in (
            select conversation_id, sender_id from numbered where kind <> 'generated')
        order by cm.conversation_id, cm.user_id
        for update
      ),
      marked as (
        update conversation_members cm
        set read_up_to_seq = greatest(cm.read_up_to_seq, n.seq),
            delivered_up_to_seq = greatest(cm.delivered_up_to_seq, n.seq)
        from (
          select conversation_id, sender_id, max(to_seq) as seq from numbered
          where kind <> 'generated'
          group by conversation_id, sender_id
        ) n
        where cm.conversation_id = n.conversation_id and cm.user_id = n.sender_id
          and cm.conversation_id = any(array(select conversation_id from numbered))
          -- Evaluated once, before the first row is written: every lock is taken first.
          and (select count(*) from senders) >= 0
      )
      select
        (select coalesce(json_agg(json_build_object('i', numbered.i, 'message', inserted)), '[]')
           from inserted join numbered
             on numbered.conversation_id = inserted.conversation_id and numbered.to_seq = inserted.seq
        ) as inserted,
        (select coalesce(json_agg(stored), '[]') from stored) as stored,
        (select coalesce(json_agg(json_build_object('i', i, 'from', to_seq - n + 1, 'to', to_seq)), '[]')
           from numbered where kind = 'generated') as generated,
        (select coalesce(json_agg(json_build_object('c', c.conversation_id, 'u', m.user_id)), '[]')
           from (select distinct conversation_id from numbered where kind = 'text') c
           cross join lateral (
             select user_id from conversation_members cm
             where cm.conversation_id = c.conversation_id offset 0) m) as members
        ${
          hasReplies
            ? sql`, (select json_agg(input.i) from input
                  cross join lateral (
                    select true as is_member, cm.joined_seq from conversation_members cm
                    where cm.conversation_id = input.conversation_id and cm.user_id = input.sender_id
                    limit 1) member
                  where input.reply_to_seq is not null and not ${isReplyTargetSeen}
                ) as unanswerable`
            : sql``
        }`),
  );
  if (!rows) throw new Error('appending messages returned no row');
  return answer(items, rows) as AppendResult<I>[];
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
 * People's messages, in a transaction of their own: lock the conversations, append (group
 * commit: one transaction and one statement for a whole batch). When a retry of the same
 * clientMsgId races in from another transaction and the unique index refuses the batch, each
 * message is tried again alone; alone and refused, it is answered with the winner.
 */
export async function storeMessages(db: Database, items: TextItem[]): Promise<SendResult[]> {
  if (items.length === 0) return [];
  try {
    return await inTransaction(db, async (tx) => {
      const lock = await lockConversations(
        tx,
        items.map((item) => item.conversationId),
      );
      return appendMessages(tx, lock, items);
    });
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
