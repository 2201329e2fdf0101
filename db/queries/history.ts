// A page of a conversation's history, for one reader, in one statement.

import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../client';
import type { MessageRow } from '../schema';

export interface HistoryPageRequest {
  conversationId: string;
  readerId: string;
  /** Backwards: the messages just below this seq (the newest when neither seq is given). */
  beforeSeq?: number;
  /** Forwards: the messages just above this seq. */
  afterSeq?: number;
  limit: number;
  /**
   * Whose history: a member's (the default), or a former member's, which ends at the message
   * that recorded their going (former_members.left_seq).
   */
  reader?: 'member' | 'former';
}

export interface HistoryMessage extends MessageRow {
  senderUsername: string;
}

export interface HistoryPage {
  /** Oldest first. */
  messages: HistoryMessage[];
  /** More messages lie beyond the page in the direction of paging. */
  hasMore: boolean;
}

interface HistoryRow {
  joined_seq: number;
  id: string | number | null;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_msg_id: string;
  kind: 'text' | 'system';
  body: string;
  created_at: Date | string;
  sender_username: string | null;
}

/**
 * A page of history, or null when the reader is not a member (or not a former member, when
 * asked for a former member's page). One statement checks the
 * membership, walks the page and finds the senders' usernames: the reader's member row, then
 * keyset pagination on (conversation_id, seq) served by messages_conversation_seq_key (never
 * OFFSET), from the reader's joined_seq on (a member added later sees the conversation from the
 * message that recorded their arrival).
 */
export async function listHistoryPage(
  db: Executor,
  request: HistoryPageRequest,
): Promise<HistoryPage | null> {
  const rows = rowsOf<HistoryRow>(await db.execute(historyPageQuery(request)));
  if (rows.length === 0) return null;
  // A member with nothing in the page still gets their row, with no message in it.
  const found = rows.filter((row) => row.id !== null);
  const hasMore = found.length > request.limit;
  const page = found
    .slice(0, request.limit)
    .map(toHistoryMessage)
    .sort((a, b) => a.seq - b.seq);
  return { messages: page, hasMore };
}

/** The statement of listHistoryPage; exported for the planner test and the benchmark report. */
export function historyPageQuery(request: HistoryPageRequest): SQL {
  const { conversationId, readerId, beforeSeq, afterSeq, limit } = request;
  const isFormer = request.reader === 'former';
  const end = isFormer ? sql`and seq <= me.left_seq` : sql``;
  const window =
    afterSeq === undefined
      ? sql`${beforeSeq === undefined ? sql`` : sql`and seq < ${beforeSeq}`}
            and seq >= me.joined_seq ${end}
          order by seq desc`
      : sql`and seq > greatest(${afterSeq}::int, me.joined_seq - 1) ${end}
          order by seq asc`;
  return sql`
    select me.joined_seq, page.*,
      (select username from users where users.id = page.sender_id) as sender_username
    from ${isFormer ? sql`former_members` : sql`conversation_members`} me
    left join lateral (
      select * from messages
      where conversation_id = ${conversationId} ${window}
      limit ${limit + 1}
    ) page on true
    where me.conversation_id = ${conversationId} and me.user_id = ${readerId}`;
}

function toHistoryMessage(row: HistoryRow): HistoryMessage {
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    senderUsername: row.sender_username ?? 'unknown',
    clientMsgId: row.client_msg_id,
    kind: row.kind,
    body: row.body,
    // postgres.js hands drizzle timestamps as text, PGlite as Date: both parse alike.
    createdAt: new Date(row.created_at),
  };
}
