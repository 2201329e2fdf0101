// A message as one reader sees it now: its row, with its sender's name, the current state of
// the message it quotes, who deleted it, its reactions, and whether this reader hid it ("delete
// for me"). Built at read time, so a quote or a reaction is never stale.

import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../client';
import type { MessageRow } from '../schema';
import { messageFromJson, type MessageJson } from './messages';

export interface QuoteView {
  seq: number;
  senderId: string;
  senderUsername: string;
  /** The start of its text ('' once deleted). */
  body: string;
  isDeleted: boolean;
}

export interface ReactionView {
  userId: string;
  username: string;
  emoji: string;
}

export interface MessageView extends MessageRow {
  senderUsername: string;
  /** '' when they set none. */
  senderDisplayName: string;
  /** The reader hid it: the change_seq of that hide; null when they did not. */
  hiddenChangeSeq: number | null;
  replyTo: QuoteView | null;
  deletedByUsername: string | null;
  /** Oldest first. */
  reactions: ReactionView[];
}

/** The columns messageViewColumns adds to a messages row. */
export interface MessageViewJson {
  sender_username: string | null;
  sender_display_name: string | null;
  hidden_change_seq: number | null;
  reply_to: QuoteView | null;
  deleted_by_username: string | null;
  /** `at`: when, in seconds since the epoch (microseconds in the fraction). */
  reactions: (ReactionView & { at: number | string })[] | null;
}

/** A messages row as the database driver hands it over (postgres.js: times as text). */
/** A messages row as SQL hands it over (the one shape messageFromJson reads). */
export type MessageSqlRow = MessageJson;

/**
 * What a reader sees beyond the row of `m` (a messages row of `conversationId` in the query):
 * each part is a lookup through a key, and the quote, the deleter, the reactions and the
 * reader's hide are looked up only for messages that can have one. Reactions stamp the
 * message's change_seq, so a message that never changed (change_seq 0) has none and costs no
 * lookup.
 */
export function messageViewColumns(view: {
  readerId: string;
  conversationId: string;
  quoteLength: number;
}): SQL {
  const { readerId, conversationId, quoteLength } = view;
  // Whether the reader hid anything in this conversation is asked once (an InitPlan: it
  // does not depend on the row); only then is each message looked up among their hides.
  return sql`
    (select username from users where users.id = m.sender_id) as sender_username,
    (select display_name from users where users.id = m.sender_id) as sender_display_name,
    case when exists (
      select 1 from message_hides hh
      where hh.user_id = ${readerId} and hh.conversation_id = ${conversationId}
    ) then (
      select h.change_seq from message_hides h
      where h.user_id = ${readerId} and h.conversation_id = m.conversation_id and h.seq = m.seq
    ) end as hidden_change_seq,
    case when m.reply_to_seq is not null then (
      select json_build_object('seq', q.seq, 'senderId', q.sender_id,
        'senderUsername', (select username from users where users.id = q.sender_id),
        'body', left(q.body, ${quoteLength}), 'isDeleted', q.deleted_at is not null)
      from messages q where q.conversation_id = m.conversation_id and q.seq = m.reply_to_seq
    ) end as reply_to,
    case when m.deleted_by is not null then (
      select username from users where users.id = m.deleted_by
    ) end as deleted_by_username,
    case when m.change_seq > 0 then (
      select json_agg(json_build_object('userId', r.user_id, 'emoji', r.emoji, 'at', extract(epoch from r.reacted_at),
        'username', (select username from users where users.id = r.user_id)))
      from message_reactions r where r.message_id = m.id
    ) end as reactions`;
}

export function toMessageView(row: MessageSqlRow & MessageViewJson): MessageView {
  const reactions = (row.reactions ?? [])
    .map(({ userId, username, emoji, at }) => ({ userId, username, emoji, time: Number(at) }))
    .sort((a, b) => a.time - b.time || a.userId.localeCompare(b.userId))
    .map(({ userId, username, emoji }) => ({ userId, username, emoji }));
  // Added to the row's object, not `{ ...messageFromJson(row), senderUsername, ... }`: in Node
  // 20's V8 each property added to an object made by a spread takes a slow path that
  // allocates, about 2 µs each; here 9 µs a message, most of a history page's time
  // (docs/performance.md).
  return Object.assign(messageFromJson(row), {
    senderUsername: row.sender_username ?? 'unknown',
    senderDisplayName: row.sender_display_name ?? '',
    hiddenChangeSeq: row.hidden_change_seq,
    replyTo: row.reply_to,
    deletedByUsername: row.deleted_by_username,
    reactions,
  });
}

/** These messages of a conversation as `readerId` sees them, in seq order. */
export async function listMessageViews(
  db: Executor,
  request: { conversationId: string; seqs: number[]; readerId: string; quoteLength: number },
): Promise<MessageView[]> {
  if (request.seqs.length === 0) return [];
  const rows = rowsOf<MessageSqlRow & MessageViewJson>(
    await db.execute(sql`
      select m.*, ${messageViewColumns(request)}
      from messages m
      where m.conversation_id = ${request.conversationId}
        and m.seq in (select value::int from jsonb_array_elements_text(${JSON.stringify(request.seqs)}::jsonb))
      order by m.seq`),
  );
  return rows.map(toMessageView);
}
