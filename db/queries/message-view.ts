// A message as one reader sees it now: its row, with its sender's name, the current state of
// the message it quotes, who deleted it, its reactions, and whether this reader hid it ("delete
// for me"). Built at read time, so a quote or a reaction is never stale.

import { sql, type SQL } from 'drizzle-orm';
import { executeValues, type Executor } from '../client';
import type { MessageRow } from '../schema';

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

/**
 * The values of a message as a reader sees it, in the order of messageViewSelect: the messages
 * row, then what the reader sees beyond it. Statements hand rows over as arrays of values (see
 * executeValues), which cost the node less than rows as objects. Times come as text from
 * postgres.js and as text or Date from PGlite; ids of type bigint as text or number.
 */
export type MessageViewValues = [
  id: string | number,
  conversationId: string,
  seq: number,
  senderId: string,
  clientMsgId: string,
  kind: 'text' | 'system',
  body: string,
  createdAt: Date | string,
  changeSeq: number,
  replyToSeq: number | null,
  isForwarded: boolean,
  editedAt: Date | string | null,
  deletedAt: Date | string | null,
  deletedBy: string | null,
  senderUsername: string | null,
  senderDisplayName: string | null,
  hiddenChangeSeq: number | null,
  replyTo: QuoteView | null,
  deletedByUsername: string | null,
  /** `at`: when, in seconds since the epoch (microseconds in the fraction). */
  reactions: (ReactionView & { at: number | string })[] | null,
];

/** How many values messageViewSelect puts first in a row. */
export const MESSAGE_VIEW_WIDTH = 20;

/**
 * The columns of MessageViewValues, for the messages row `m` of `conversationId` in the
 * statement. A statement that needs more columns puts them after these.
 */
export function messageViewSelect(view: {
  readerId: string;
  conversationId: string;
  quoteLength: number;
}): SQL {
  return sql`
    m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.kind, m.body, m.created_at,
    m.change_seq, m.reply_to_seq, m.is_forwarded, m.edited_at, m.deleted_at, m.deleted_by,
    ${messageViewColumns(view)}`;
}

/**
 * What a reader sees beyond the row of `m` (a messages row of `conversationId` in the query):
 * each part is a lookup through a key, and the quote, the deleter, the reactions and the
 * reader's hide are looked up only for messages that can have one. Reactions stamp the
 * message's change_seq, so a message that never changed (change_seq 0) has none and costs no
 * lookup.
 */
function messageViewColumns(view: {
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

/** The message of a row whose first values are messageViewSelect's (MESSAGE_VIEW_WIDTH). */
export function messageViewFromValues(row: MessageViewValues): MessageView {
  const editedAt = row[11];
  const deletedAt = row[12];
  // One object literal: adding properties to an object after it is made, or to one made by a
  // spread, is slower in Node 20's V8 (docs/performance.md).
  return {
    id: Number(row[0]),
    conversationId: row[1],
    seq: row[2],
    senderId: row[3],
    clientMsgId: row[4],
    kind: row[5],
    body: row[6],
    createdAt: new Date(row[7]),
    changeSeq: row[8],
    replyToSeq: row[9],
    isForwarded: row[10],
    editedAt: editedAt === null ? null : new Date(editedAt),
    deletedAt: deletedAt === null ? null : new Date(deletedAt),
    deletedBy: row[13],
    senderUsername: row[14] ?? 'unknown',
    senderDisplayName: row[15] ?? '',
    hiddenChangeSeq: row[16],
    replyTo: row[17],
    deletedByUsername: row[18],
    reactions: reactionsInOrder(row[19]),
  };
}

/** Oldest first; reactions of one moment by user id. */
function reactionsInOrder(reactions: MessageViewValues[19]): ReactionView[] {
  if (reactions === null) return [];
  return reactions
    .map(({ userId, username, emoji, at }) => ({ userId, username, emoji, time: Number(at) }))
    .sort((a, b) => a.time - b.time || a.userId.localeCompare(b.userId))
    .map(({ userId, username, emoji }) => ({ userId, username, emoji }));
}

/** These messages of a conversation as `readerId` sees them, in seq order. */
export async function listMessageViews(
  db: Executor,
  request: { conversationId: string; seqs: number[]; readerId: string; quoteLength: number },
): Promise<MessageView[]> {
  if (request.seqs.length === 0) return [];
  const rows = await executeValues<MessageViewValues>(
    db,
    sql`
      select ${messageViewSelect(request)}
      from messages m
      where m.conversation_id = ${request.conversationId}
        and m.seq in (select value::int from jsonb_array_elements_text(${JSON.stringify(request.seqs)}::jsonb))
      order by m.seq`,
  );
  return rows.map(messageViewFromValues);
}
