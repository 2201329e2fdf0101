// A page of a conversation's history, for one reader, in one statement.

import { sql, type SQL } from 'drizzle-orm';
import { executeValues, type Executor } from '../client';
import {
  messageViewFromValues,
  messageViewSelect,
  type MessageView,
  type MessageViewValues,
} from './message-view';
import { literalCount } from './prepared';

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
  /** Quotes show the start of the quoted text, this many code points (default 120). */
  quoteLength?: number;
}

/** A message as the reader sees it (see message-view.ts). */
export type HistoryMessage = MessageView;

export interface HistoryPage {
  /** Oldest first. */
  messages: HistoryMessage[];
  /** More messages lie beyond the page in the direction of paging. */
  hasMore: boolean;
}

/** A message's values, or nulls in their place for a member with nothing in the page. */
type HistoryRow = MessageViewValues | null[];

/**
 * A page of history, or null when the reader is not a member (or not a former member, when
 * asked for a former member's page). One statement checks the membership, walks the page and
 * finds what the reader sees of each message (message-view.ts): the reader's member row, then
 * keyset pagination on (conversation_id, seq) served by messages_conversation_seq_key (never
 * OFFSET), from the reader's joined_seq on (a member added later sees the conversation from the
 * message that recorded their arrival).
 */
export async function listHistoryPage(
  db: Executor,
  request: HistoryPageRequest,
): Promise<HistoryPage | null> {
  const rows = await executeValues<HistoryRow>(db, historyPageQuery(request));
  if (rows.length === 0) return null;
  // A member with nothing in the page still gets their row, with no message in it.
  const found = rows.filter((row): row is MessageViewValues => row[0] !== null);
  const hasMore = found.length > request.limit;
  const page = found
    .slice(0, request.limit)
    .map(messageViewFromValues)
    .sort((a, b) => a.seq - b.seq);
  return { messages: page, hasMore };
}

/**
 * The rows a page's statement asks for: one more than the page, to tell whether there is more,
 * rounded up to one more than the protocol's default page (50) or its largest (100). The count
 * is a literal of the statement (see literalCount), and each different text is a statement a
 * connection prepares and keeps: two sizes keep that to a few. A smaller page reads the few
 * rows past it, and they are dropped.
 */
function statementRows(limit: number): number {
  if (limit <= 50) return 51;
  if (limit <= 100) return 101;
  return limit + 1;
}

/** The statement of listHistoryPage; exported for the planner test and the benchmark report. */
export function historyPageQuery(request: HistoryPageRequest): SQL {
  const { conversationId, readerId, beforeSeq, afterSeq, limit } = request;
  const isFormer = request.reader === 'former';
  const view = messageViewSelect({
    readerId,
    conversationId,
    quoteLength: request.quoteLength ?? 120,
  });
  const end = isFormer ? sql`and seq <= me.left_seq` : sql``;
  const window =
    afterSeq === undefined
      ? sql`${beforeSeq === undefined ? sql`` : sql`and seq < ${beforeSeq}`}
            and seq >= me.joined_seq ${end}
          order by seq desc`
      : sql`and seq > greatest(${afterSeq}::int, me.joined_seq - 1) ${end}
          order by seq asc`;
  return sql`
    select ${view}
    from ${isFormer ? sql`former_members` : sql`conversation_members`} me
    left join lateral (
      select * from messages
      where conversation_id = ${conversationId} ${window}
      limit ${literalCount(statementRows(limit))}
    ) m on true
    where me.conversation_id = ${conversationId} and me.user_id = ${readerId}`;
}
