// Message search: PostgreSQL's own text search over messages_search_idx, a GIN index of
// to_tsvector('simple', body) on text messages (db/schema.ts). 'simple' splits words and
// lower-cases them in any script, and neither stems nor drops words: Parley does not know the
// language a message is in. Edits and deletions change the body, and so the index, in the same
// statement: nothing can find a deleted message's text, or an edited message's old text.

import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../client';

/** The text configuration of the index; a query must name the same one to use it. */
export const SEARCH_CONFIG = 'simple';
/** Words shorter than this are matched whole; longer ones also as the start of a longer word. */
const PREFIX_MIN_LENGTH = 2;
/** Lexemes a search uses at most: a long URL makes several of one word. */
const LEXEMES_MAX = 16;
/**
 * A word in more messages than this (by the index's statistics) is common: reading its entry
 * of the index alone takes milliseconds per 100,000 messages, whoever searches, so a search of
 * common words only is refused before it reads anything.
 */
const COMMON_WORD_MESSAGES = 50_000;

export interface MessageSearchRequest {
  readerId: string;
  /** The words as typed; the database splits them the way it split the messages. */
  text: string;
  /** Only this conversation; all the reader's when absent. */
  conversationId?: string;
  /** Only matches with a smaller id (the next page). */
  beforeId?: number;
  limit: number;
  /** The most matches looked through; more make the search `too-broad`. */
  matchesMax: number;
}

export interface MessageSearchHit {
  id: number;
  conversationId: string;
  seq: number;
  senderId: string;
  senderUsername: string;
  body: string;
  createdAt: Date;
}

export type MessageSearchOutcome =
  | { status: 'found'; hits: MessageSearchHit[]; hasMore: boolean; terms: string[] }
  | { status: 'too-broad'; terms: string[] }
  /** Every word is common (COMMON_WORD_MESSAGES): nothing was read. */
  | { status: 'common-words'; terms: string[] }
  /** The conversation asked for is not the reader's, nor was it. */
  | { status: 'no-conversation' };

interface SearchRow {
  terms: string[] | null;
  is_common: boolean | null;
  conversations: number;
  matches: number;
  id: number | string | null;
  conversation_id: string | null;
  seq: number | null;
  sender_id: string | null;
  sender_username: string | null;
  body: string | null;
  created_at: Date | string | null;
}

/**
 * Messages the reader may see whose text has every word searched for, newest first. What the
 * reader may see is what history shows them: a member's conversations from the message that
 * recorded their arrival on, a former member's up to the one that recorded their going, never
 * a message they hid for themselves, a deleted one or a system message.
 *
 * One statement: the words become a prefix query. If every word is common (the statistics
 * ANALYZE keeps of the index's most common words, which autovacuum refreshes), nothing more is
 * read. Otherwise the GIN index gives the matches in the reader's conversations, at most
 * matchesMax + 1 of them; only then are they sorted, checked against the reader's ranges and
 * hides, and a page taken. A common word beside a rare one costs little: the index walks the
 * rare word's few entries and checks the common word only there.
 */
export async function searchMessages(
  db: Executor,
  request: MessageSearchRequest,
): Promise<MessageSearchOutcome> {
  const rows = rowsOf<SearchRow>(await db.execute(messageSearchQuery(request)));
  const first = rows[0];
  if (request.conversationId !== undefined && !first?.conversations) {
    return { status: 'no-conversation' };
  }
  const terms = first?.terms ?? [];
  if (!first || terms.length === 0) return { status: 'found', hits: [], hasMore: false, terms };
  if (first.is_common) return { status: 'common-words', terms };
  if (first.matches > request.matchesMax) return { status: 'too-broad', terms };
  const hits = rows.filter((row) => row.id !== null).map(toHit);
  return {
    status: 'found',
    hits: hits.slice(0, request.limit),
    hasMore: hits.length > request.limit,
    terms,
  };
}

/** The statement of searchMessages; exported for the planner test and the benchmark report. */
export function messageSearchQuery(request: MessageSearchRequest): SQL {
  const { readerId, text, conversationId, beforeId, limit, matchesMax } = request;
  // A literal, not a parameter: the planner uses the index only for its very expression.
  const config = sql.raw(`'${SEARCH_CONFIG}'::regconfig`);
  const inConversation = (alias: string) =>
    conversationId === undefined
      ? sql``
      : sql`and ${sql.raw(alias)}.conversation_id = ${conversationId}`;
  return sql`
    with lexemes as (
      select lexeme from unnest(to_tsvector(${config}, ${text})) limit ${LEXEMES_MAX}
    ),
    common as (
      -- pg_stats of the expression index: its most common words and the share of rows with
      -- each (three more numbers follow the shares: the unnest pads their words with null).
      select e.lexeme
      from pg_stats st
      cross join lateral unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs)
        as e(lexeme, freq)
      where st.schemaname = current_schema() and st.tablename = 'messages_search_idx'
        and e.lexeme is not null
        and e.freq * (select greatest(reltuples, 0) from pg_class
                      where oid = 'messages_search_idx'::regclass) > ${COMMON_WORD_MESSAGES}
    ),
    words as (
      -- One shorter than PREFIX_MIN_LENGTH matches only itself, or it would match most words.
      -- A word is common when it is a common word, or the start of one (it is searched as a
      -- prefix).
      select lexeme, ${prefixTerm(sql`lexeme`, PREFIX_MIN_LENGTH)} as term,
        exists (
          select 1 from common c
          where c.lexeme = l.lexeme
            or (char_length(l.lexeme) >= ${PREFIX_MIN_LENGTH} and starts_with(c.lexeme, l.lexeme))
        ) as is_common
      from lexemes l
    ),
    query as (
      select to_json(array_agg(lexeme)) as terms,
        bool_and(is_common) as is_common,
        string_agg(term, ' & ')::tsquery as tsquery,
        string_agg(term, ' & ') filter (where not is_common)::tsquery as rare_tsquery
      from words
    ),
    scope as (
      select conversation_id, joined_seq, 2147483647 as left_seq
      from conversation_members cm where cm.user_id = ${readerId} ${inConversation('cm')}
      union all
      select conversation_id, joined_seq, left_seq
      from former_members fm where fm.user_id = ${readerId} ${inConversation('fm')}
    ),
    matches as materialized (
      select m.id, m.conversation_id, m.seq
      from messages m
      where not coalesce((select is_common from query), false)
        -- The index finds the rare words' messages; every word is then checked on those few
        -- (ts_match_vq is @@ itself, named so that the planner does not take it to the index,
        -- where a common word's entry would be read whole).
        and to_tsvector(${config}, m.body) @@ (select rare_tsquery from query)
        and ts_match_vq(to_tsvector(${config}, m.body), (select tsquery from query))
        and m.kind = 'text'
        -- Checked on the matches, never through messages_conversation_seq_key: a bitmap of
        -- the reader's conversations would read every message of a big one (35 ms a search
        -- in a conversation of 1,000,000), and the planner chose it whenever the statistics
        -- made the reader's conversations look small. IS TRUE keeps it out of the index.
        and (m.conversation_id = any(array(select conversation_id from scope))) is true
        ${beforeId === undefined ? sql`` : sql`and m.id < ${beforeId}`}
      limit ${matchesMax + 1}
    ),
    page as (
      select m.id, m.conversation_id, m.seq, m.sender_id, m.body, m.created_at
      from matches x
      join scope s on s.conversation_id = x.conversation_id
        and x.seq between s.joined_seq and s.left_seq
      join messages m on m.id = x.id
      where m.deleted_at is null
        and not exists (
          select 1 from message_hides h
          where h.user_id = ${readerId} and h.conversation_id = x.conversation_id and h.seq = x.seq
        )
      order by x.id desc
      limit ${limit + 1}
    )
    select (select terms from query) as terms, (select is_common from query) as is_common,
      (select count(*)::int from scope) as conversations,
      (select count(*)::int from matches) as matches,
      p.id, p.conversation_id, p.seq, p.sender_id, p.body, p.created_at,
      (select username from users u where u.id = p.sender_id) as sender_username
    from (select 1) as one
    left join page p on (select count(*) from matches) <= ${matchesMax}
    order by p.id desc nulls last`;
}

/**
 * A lexeme (an SQL expression) as a term of tsquery's input: quoted (a quote doubled, a
 * backslash escaped), and matching as a prefix when it is at least `prefixFrom` long.
 */
export function prefixTerm(lexeme: SQL, prefixFrom: number): SQL {
  return sql`'''' || replace(replace(${lexeme}, '\\', '\\\\'), '''', '''''') || '''' ||
    case when char_length(${lexeme}) >= ${prefixFrom} then ':*' else '' end`;
}

function toHit(row: SearchRow): MessageSearchHit {
  return {
    id: Number(row.id),
    conversationId: row.conversation_id!,
    seq: row.seq!,
    senderId: row.sender_id!,
    senderUsername: row.sender_username ?? '',
    body: row.body ?? '',
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at!),
  };
}
