// Changes to stored messages (edit, delete for everyone, reactions, delete for me) and the
// pages of them a device syncs. Who may change what is decided by the caller (server/chat),
// inside one transaction that holds the conversation's row lock (lockMessage). Each write takes
// the conversation's next change_seq in the same statement that makes the change, so the
// counter's order is the order of commits: the lock is held until the commit.

import { eq, sql, type SQL } from 'drizzle-orm';
import { executeValues, rowsOf, type Executor, type Transaction } from '../client';
import { conversations } from '../schema';
import { unreadGoneFor } from './conversations';
import { assertLockHeld, heldLock, type ConversationLock } from './locks';
import { messageFromJson, type MessageJson } from './messages';
import {
  MESSAGE_VIEW_WIDTH,
  messageViewFromValues,
  messageViewSelect,
  type MessageView,
  type MessageViewValues,
} from './message-view';
import type { MessageRow } from '../schema';

/** A message and its actor as a change finds them, under the conversation's lock. */
export interface LockedMessage {
  lock: ConversationLock;
  kind: 'direct' | 'group';
  /** The actor's membership; null when they are not a member. */
  member: { role: 'member' | 'admin'; joinedSeq: number } | null;
  /** The message at that seq; null when there is none. */
  message: MessageRow | null;
  /** The actor hid it for themselves ("delete for me"). */
  isHiddenByActor: boolean;
  /** This clientEditId was applied to the message already. */
  isEditApplied: boolean;
}

/**
 * Locks the conversation's row, then reads the actor's membership and the message in a second
 * statement, which therefore sees every change that committed before the lock was granted.
 * Null when there is no such conversation.
 */
export async function lockMessage(
  tx: Transaction,
  request: { conversationId: string; seq: number; actorId: string; clientEditId?: string },
): Promise<LockedMessage | null> {
  const { conversationId, seq, actorId } = request;
  const [locked] = await tx
    .select({ kind: conversations.kind })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for('update');
  if (!locked) return null;
  const [row] = rowsOf<{
    member: { role: 'member' | 'admin'; joined_seq: number } | null;
    message: MessageJson | null;
    is_hidden: boolean;
    is_edit_applied: boolean;
  }>(
    await tx.execute(sql`
      select
        (select json_build_object('role', role, 'joined_seq', joined_seq) from conversation_members
          where conversation_id = ${conversationId} and user_id = ${actorId}) as member,
        (select row_to_json(m) from messages m
          where m.conversation_id = ${conversationId} and m.seq = ${seq}) as message,
        exists (select 1 from message_hides
          where user_id = ${actorId} and conversation_id = ${conversationId} and seq = ${seq}
        ) as is_hidden,
        ${
          request.clientEditId === undefined
            ? sql`false`
            : sql`exists (select 1 from message_edits e join messages m on m.id = e.message_id
                where m.conversation_id = ${conversationId} and m.seq = ${seq}
                  and e.client_edit_id = ${request.clientEditId})`
        } as is_edit_applied`),
  );
  if (!row) throw new Error('reading a locked message returned no row');
  return {
    lock: heldLock(tx, [conversationId]),
    kind: locked.kind,
    member: row.member ? { role: row.member.role, joinedSeq: row.member.joined_seq } : null,
    message: row.message ? messageFromJson(row.message) : null,
    isHiddenByActor: row.is_hidden,
    isEditApplied: row.is_edit_applied,
  };
}

/** The next value of the conversation's change counter, as a statement to start a write with. */
function nextChangeSeq(conversationId: string) {
  return sql`next as (
    update conversations set last_change_seq = last_change_seq + 1
    where id = ${conversationId}
    returning last_change_seq as change_seq)`;
}

async function changeOne(tx: Transaction, statement: SQL): Promise<number> {
  const [row] = rowsOf<{ change_seq: number }>(await tx.execute(statement));
  if (!row) throw new Error('a message change wrote nothing');
  return row.change_seq;
}

/** New text for a message, remembering the clientEditId. Answers the change's change_seq. */
export async function applyEdit(
  tx: Transaction,
  lock: ConversationLock,
  edit: { conversationId: string; messageId: number; body: string; clientEditId: string },
): Promise<number> {
  assertLockHeld(tx, lock, [edit.conversationId]);
  return changeOne(
    tx,
    sql`with ${nextChangeSeq(edit.conversationId)},
      applied as (
        insert into message_edits (message_id, client_edit_id)
        values (${edit.messageId}, ${edit.clientEditId}))
      update messages set body = ${edit.body}, edited_at = now(),
        change_seq = (select change_seq from next)
      where id = ${edit.messageId}
      returning change_seq`,
  );
}

/**
 * Deletes a message for everyone: its text is overwritten (the tombstone keeps id, seq, sender
 * and time) and its reactions go.
 */
export async function applyDeletion(
  tx: Transaction,
  lock: ConversationLock,
  deletion: { conversationId: string; messageId: number; deletedBy: string },
): Promise<number> {
  assertLockHeld(tx, lock, [deletion.conversationId]);
  return changeOne(
    tx,
    sql`with ${nextChangeSeq(deletion.conversationId)},
      unreacted as (delete from message_reactions where message_id = ${deletion.messageId})
      update messages set body = '', deleted_at = now(), deleted_by = ${deletion.deletedBy},
        change_seq = (select change_seq from next)
      where id = ${deletion.messageId}
      returning change_seq`,
  );
}

/**
 * Sets (or with null, removes) a person's reaction; the message takes the change_seq. Null
 * when that was their reaction already (or they had none to remove): nothing is written.
 */
export async function applyReaction(
  tx: Transaction,
  lock: ConversationLock,
  reaction: { conversationId: string; messageId: number; userId: string; emoji: string | null },
): Promise<number | null> {
  assertLockHeld(tx, lock, [reaction.conversationId]);
  const { conversationId, messageId, userId, emoji } = reaction;
  const write =
    emoji === null
      ? sql`delete from message_reactions where message_id = ${messageId} and user_id = ${userId}
          returning 1`
      : sql`insert into message_reactions (message_id, user_id, emoji)
          values (${messageId}, ${userId}, ${emoji})
          on conflict (message_id, user_id) do update set emoji = excluded.emoji, reacted_at = now()
          where message_reactions.emoji <> excluded.emoji
          returning 1`;
  const [row] = rowsOf<{ change_seq: number }>(
    await tx.execute(sql`
      with reacted as (${write}),
      next as (
        update conversations set last_change_seq = last_change_seq + 1
        where id = ${conversationId} and exists (select 1 from reacted)
        returning last_change_seq as change_seq)
      update messages set change_seq = next.change_seq
      from next where messages.id = ${messageId}
      returning messages.change_seq`),
  );
  return row?.change_seq ?? null;
}

/** Hides a message from one person ("delete for me"), with a change_seq of its own. */
export async function applyHide(
  tx: Transaction,
  lock: ConversationLock,
  hide: { conversationId: string; seq: number; userId: string },
): Promise<number> {
  assertLockHeld(tx, lock, [hide.conversationId]);
  return changeOne(
    tx,
    sql`with ${nextChangeSeq(hide.conversationId)}
      insert into message_hides (user_id, conversation_id, seq, change_seq)
      select ${hide.userId}::uuid, ${hide.conversationId}::uuid, ${hide.seq}::int, change_seq
      from next
      returning change_seq`,
  );
}

/** What clearing a conversation's history for one person wrote. */
export interface HistoryHidden {
  /** The newest seq the clear covers: the last one of the person's span when it ran. */
  upToSeq: number;
  /** How many messages it hid (those hidden before are left as they were). */
  count: number;
  /** The conversation's change counter after it: the last hide's change_seq. */
  changeSeq: number;
  /** The seqs of the newest it hid, at most as many as asked for, oldest first. */
  newestSeqs: number[];
}

/**
 * "Clear chat": hides every message of the conversation from `fromSeq` to `toSeq` (the person's
 * span: a former member's ends where they went) or to its last, for that person alone, as many "delete for me"s would, oldest first,
 * each with a change_seq of its own taken in one step: their devices fetch the hides as any
 * other changes. Null when there is no such conversation.
 */
export async function hideHistory(
  tx: Transaction,
  lock: ConversationLock,
  clear: {
    conversationId: string;
    userId: string;
    fromSeq: number;
    toSeq?: number;
    newest: number;
  },
): Promise<HistoryHidden | null> {
  const { conversationId, userId, fromSeq } = clear;
  const toSeq = clear.toSeq ?? 2_147_483_647;
  assertLockHeld(tx, lock, [conversationId]);
  const [row] = rowsOf<{
    up_to_seq: number;
    count: number;
    change_seq: number;
    newest_seqs: number[];
  }>(
    await tx.execute(sql`
      with todo as (
        select m.seq, row_number() over (order by m.seq) as n
        from conversations c
        join messages m on m.conversation_id = c.id
          and m.seq between ${fromSeq} and least(c.last_seq, ${toSeq})
        where c.id = ${conversationId}
          and not exists (select 1 from message_hides h
            where h.user_id = ${userId} and h.conversation_id = c.id and h.seq = m.seq)),
      next as (
        update conversations
        set last_change_seq = last_change_seq + (select count(*) from todo)
        where id = ${conversationId}
        returning least(last_seq, ${toSeq}) as last_seq, last_change_seq,
          last_change_seq - (select count(*) from todo) as base),
      hidden as (
        insert into message_hides (user_id, conversation_id, seq, change_seq)
        select ${userId}::uuid, ${conversationId}::uuid, todo.seq, next.base + todo.n
        from todo cross join next
        returning seq)
      select next.last_seq as up_to_seq, (select count(*) from hidden)::int as count,
        next.last_change_seq as change_seq,
        (select coalesce(json_agg(seq order by seq), '[]') from (
          select seq from hidden order by seq desc limit ${clear.newest}) newest) as newest_seqs
      from next`),
  );
  if (!row) return null;
  return {
    upToSeq: Number(row.up_to_seq),
    count: Number(row.count),
    changeSeq: Number(row.change_seq),
    newestSeqs: row.newest_seqs.map(Number),
  };
}

/**
 * Who sees the message at `seq` change: members who were there when it was sent, and former
 * members whose span holds it; with the change_seq of their hide where they hid it.
 */
export async function listChangeAudience(
  db: Executor,
  conversationId: string,
  seq: number,
): Promise<{ userId: string; hiddenChangeSeq: number | null }[]> {
  const rows = rowsOf<{ user_id: string; hidden: number | null }>(
    await db.execute(sql`
      select a.user_id, (select h.change_seq from message_hides h
          where h.user_id = a.user_id and h.conversation_id = ${conversationId} and h.seq = ${seq}
        ) as hidden
      from (
        select user_id from conversation_members
        where conversation_id = ${conversationId} and joined_seq <= ${seq}
        union all
        select user_id from former_members
        where conversation_id = ${conversationId} and joined_seq <= ${seq} and left_seq >= ${seq}
      ) a`),
  );
  return rows.map((row) => ({ userId: row.user_id, hiddenChangeSeq: row.hidden }));
}

export interface ChangesPageRequest {
  conversationId: string;
  readerId: string;
  afterChangeSeq: number;
  limit: number;
  quoteLength: number;
}

export interface ChangesPage {
  /** Ordered by each one's change_seq for the reader (see listChangesPage). */
  messages: MessageView[];
  /** The cursor after this page. */
  changeSeq: number;
  hasMore: boolean;
  /**
   * The reader's markers and the others' messages between them that no longer count as unread
   * (deleted or hidden), in the snapshot whose last_change_seq ends the last page. A former
   * member has read everything up to their going.
   */
  unread: { lastSeq: number; readSeq: number; gone: number };
}

/**
 * The messages that changed beyond the reader's change cursor, as the reader sees them, or null
 * when the reader is neither a member nor a former member. A message's change_seq for a reader
 * is the greater of its own and that of the reader's hide of it. Only messages of the reader's
 * span count (from joined_seq; up to left_seq for a former member). The cursor after the last
 * page is the conversation's last_change_seq, read in the same snapshot: every change up to it
 * has committed (each took the counter under the lock it held until its commit), and those not
 * in the pages are not the reader's to see (another member's hide, a message before they came).
 */
export async function listChangesPage(
  db: Executor,
  request: ChangesPageRequest,
): Promise<ChangesPage | null> {
  const { conversationId, readerId, afterChangeSeq, limit } = request;
  // Each row: a changed message's values (MessageViewValues, or nulls when the page holds
  // none), then the reader's change_seq of it, and the snapshot's last_change_seq, last_seq,
  // read_seq and unread gone.
  const rows = await executeValues<unknown[]>(
    db,
    sql`
      with me as (
        select c.last_change_seq, span.joined_seq, span.left_seq,
          least(c.last_seq, span.left_seq) as last_seq, span.read_seq
        from conversations c cross join lateral (
          (select joined_seq, 2147483647 as left_seq, read_up_to_seq as read_seq
            from conversation_members
            where conversation_id = c.id and user_id = ${readerId})
          union all
          (select joined_seq, left_seq, left_seq from former_members
            where conversation_id = c.id and user_id = ${readerId})
          limit 1) span
        where c.id = ${conversationId}
      ),
      unread as (
        select ${unreadGoneFor(readerId, sql`${conversationId}::uuid`, sql`me.read_seq`)} as gone
        from me
      ),
      changed as (
        select m.id, greatest(m.change_seq, coalesce(h.change_seq, 0)) as reader_change_seq
        from me cross join messages m
        left join message_hides h
          on h.user_id = ${readerId} and h.conversation_id = m.conversation_id and h.seq = m.seq
        where m.conversation_id = ${conversationId} and m.change_seq > ${afterChangeSeq}
          and m.seq between me.joined_seq and me.left_seq
        union
        select m.id, greatest(m.change_seq, h.change_seq)
        from me cross join message_hides h
        join messages m on m.conversation_id = h.conversation_id and m.seq = h.seq
        where h.user_id = ${readerId} and h.conversation_id = ${conversationId}
          and h.change_seq > ${afterChangeSeq} and h.seq between me.joined_seq and me.left_seq
      ),
      page as (select * from changed order by reader_change_seq limit ${limit + 1})
      select ${messageViewSelect(request)},
        page.reader_change_seq, me.last_change_seq, me.last_seq, me.read_seq, unread.gone
      from me
      cross join unread
      left join page on true
      left join messages m on m.id = page.id
      order by page.reader_change_seq`,
  );
  const [first] = rows;
  if (!first) return null;
  const at = MESSAGE_VIEW_WIDTH;
  const found = rows.filter((row) => row[0] !== null);
  const hasMore = found.length > limit;
  const page = found.slice(0, limit);
  return {
    messages: page.map((row) => messageViewFromValues(row as unknown as MessageViewValues)),
    changeSeq: hasMore ? Number(page[page.length - 1]![at]) : Number(first[at + 1]),
    hasMore,
    unread: {
      lastSeq: Number(first[at + 2]),
      readSeq: Number(first[at + 3]),
      gone: Number(first[at + 4]),
    },
  };
}
