// Reports of people and messages to the admins (see reports in db/schema.ts): the message a
// reporter may point at, a report recorded once while it is open, and the admins' list with
// each reported message in its context.

import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database, type Executor } from '../client';

/** Largest seq PostgreSQL's integer column holds: "no end" of a member's range. */
const SEQ_MAX = 2_147_483_647;

export interface ReportableMessage {
  senderId: string;
  kind: 'text' | 'system';
  isDeleted: boolean;
}

/**
 * The message at `seq` if the reader may see it, else null: what history shows them, a
 * member's conversation from the message that recorded their arrival on, a former member's
 * up to the one that recorded their going. One statement, through the member rows' keys and
 * messages_conversation_seq_key.
 */
export async function findReportableMessage(
  db: Executor,
  request: { readerId: string; conversationId: string; seq: number },
): Promise<ReportableMessage | null> {
  const { readerId, conversationId, seq } = request;
  const rows = rowsOf<{ sender_id: string; kind: 'text' | 'system'; is_deleted: boolean }>(
    await db.execute(sql`
      select m.sender_id, m.kind, m.deleted_at is not null as is_deleted
      from messages m
      where m.conversation_id = ${conversationId} and m.seq = ${seq}
        and exists (
          select 1 from ${readerScope(sql`${conversationId}::uuid`, sql`${readerId}::uuid`)} s
          where m.seq between s.joined_seq and s.left_seq
        )`),
  );
  const row = rows[0];
  return row ? { senderId: row.sender_id, kind: row.kind, isDeleted: row.is_deleted } : null;
}

/** The reader's range of a conversation, as a subquery of (joined_seq, left_seq) rows. */
function readerScope(conversationId: SQL, readerId: SQL): SQL {
  return sql`(
    select joined_seq, ${SEQ_MAX}::int as left_seq from conversation_members
    where conversation_id = ${conversationId} and user_id = ${readerId}
    union all
    select joined_seq, left_seq from former_members
    where conversation_id = ${conversationId} and user_id = ${readerId}
  )`;
}

export interface NewReport {
  reporterId: string;
  reportedUserId: string;
  /** Both set for a message, both null for a person. */
  conversationId: string | null;
  messageSeq: number | null;
  note: string;
}

/**
 * Records a report, unless the reporter already has an open one of the same person or
 * message: then that one's id, and nothing is written. A transaction-scoped advisory lock on
 * the reporter serialises their reports, so that two sent at once cannot both find none and
 * both insert (there is no unique key to lean on: a resolved report may be made again).
 */
export async function insertReportOnce(
  db: Database,
  report: NewReport,
): Promise<{ id: string; isDuplicate: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`report:${report.reporterId}`}, 0))`,
    );
    const sameThing =
      report.conversationId === null
        ? sql`conversation_id is null and reported_user_id = ${report.reportedUserId}`
        : sql`conversation_id = ${report.conversationId} and message_seq = ${report.messageSeq}`;
    const [open] = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from reports
        where reporter_id = ${report.reporterId} and resolved_at is null and ${sameThing}
        limit 1`),
    );
    if (open) return { id: open.id, isDuplicate: true };
    const [inserted] = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into reports (reporter_id, reported_user_id, conversation_id, message_seq, note)
        values (${report.reporterId}, ${report.reportedUserId}, ${report.conversationId},
          ${report.messageSeq}, ${report.note})
        returning id`),
    );
    if (!inserted) throw new Error('insert into reports returned no row');
    return { id: inserted.id, isDuplicate: false };
  });
}

export interface ReportPersonRow {
  id: string;
  username: string;
  displayName: string;
}

export interface ReportContextRow {
  seq: number;
  kind: 'text' | 'system';
  sender: ReportPersonRow;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  isDeleted: boolean;
}

export interface ReportRow {
  id: string;
  createdAt: Date;
  note: string;
  reporter: ReportPersonRow | null;
  reportedUser: ReportPersonRow;
  message: {
    conversation: { id: string; kind: 'direct' | 'group'; title: string };
    seq: number;
    context: ReportContextRow[];
  } | null;
  resolvedAt: Date | null;
  resolvedBy: ReportPersonRow | null;
}

export interface ReportsPageRequest {
  status: 'open' | 'resolved';
  /** Reports older than this one (keyset on created_at, id). */
  beforeId?: string;
  limit: number;
  /** Messages on each side of a reported one. */
  contextSize: number;
}

/**
 * A page of reports, newest first, each with its people and, for a message, the messages
 * around it. Open ones walk reports_open_idx; resolved ones are fewer than the messages of a
 * day on any server that has admins reading them, and are sorted whole.
 */
export async function listReportsPage(
  db: Executor,
  request: ReportsPageRequest,
): Promise<{ reports: ReportRow[]; hasMore: boolean; openCount: number }> {
  const { status, beforeId, limit, contextSize } = request;
  const where = sql`${status === 'open' ? sql`r.resolved_at is null` : sql`r.resolved_at is not null`}
    ${
      beforeId === undefined
        ? sql``
        : sql`and (r.created_at, r.id) < (select created_at, id from reports where id = ${beforeId})`
    }`;
  const [rows, [count]] = await Promise.all([
    readReports(db, where, limit + 1, contextSize),
    db
      .execute(sql`select count(*)::int as open from reports where resolved_at is null`)
      .then((result) => rowsOf<{ open: number }>(result)),
  ]);
  return {
    reports: rows.slice(0, limit),
    hasMore: rows.length > limit,
    openCount: count?.open ?? 0,
  };
}

/** One report, as the list shows it; null when there is none with this id. */
export async function findReport(
  db: Executor,
  reportId: string,
  contextSize: number,
): Promise<ReportRow | null> {
  const [row] = await readReports(db, sql`r.id = ${reportId}`, 1, contextSize);
  return row ?? null;
}

/**
 * Marks a report resolved by `adminId`; one resolved before keeps its first time and admin.
 * False when there is no such report.
 */
export async function resolveReport(
  db: Executor,
  reportId: string,
  adminId: string,
): Promise<boolean> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      update reports set
        resolved_by = case when resolved_at is null then ${adminId}::uuid else resolved_by end,
        resolved_at = coalesce(resolved_at, now())
      where id = ${reportId}
      returning id`),
  );
  return rows.length > 0;
}

interface ReportSqlRow {
  id: string;
  created_at: Date | string;
  note: string;
  reporter: ReportPersonRow | null;
  reported_user: ReportPersonRow;
  resolved_at: Date | string | null;
  resolved_by: ReportPersonRow | null;
  conversation_id: string | null;
  message_seq: number | null;
  conversation_kind: 'direct' | 'group' | null;
  conversation_title: string | null;
  context: (Omit<ReportContextRow, 'createdAt' | 'editedAt'> & {
    createdAt: string;
    editedAt: string | null;
  })[];
}

/**
 * The reports that match `where` (on `r`), newest first. The context of a message is read
 * through messages_conversation_seq_key, and only within what the reporter can see (their
 * member or former member row): the reported message itself always, its neighbours only
 * there. A message deleted for everyone shows as deleted, with no text: the text is gone.
 */
async function readReports(
  db: Executor,
  where: SQL,
  limit: number,
  contextSize: number,
): Promise<ReportRow[]> {
  const person = (alias: string) =>
    sql.raw(`case when ${alias}.id is null then null else json_build_object(
      'id', ${alias}.id, 'username', ${alias}.username, 'displayName', ${alias}.display_name) end`);
  const rows = rowsOf<ReportSqlRow>(
    await db.execute(sql`
      select r.id, r.created_at, r.note, r.resolved_at, r.conversation_id, r.message_seq,
        ${person('reporter')} as reporter,
        ${person('reported')} as reported_user,
        ${person('resolver')} as resolved_by,
        c.kind as conversation_kind,
        case when c.kind = 'group' then c.title else (
          select string_agg(u.username, ' and ' order by u.username)
          from conversation_members cm join users u on u.id = cm.user_id
          where cm.conversation_id = c.id
        ) end as conversation_title,
        coalesce(context.messages, '[]'::json) as context
      from reports r
      join users reported on reported.id = r.reported_user_id
      left join users reporter on reporter.id = r.reporter_id
      left join users resolver on resolver.id = r.resolved_by
      left join conversations c on c.id = r.conversation_id
      left join lateral (
        select json_agg(json_build_object(
          'seq', m.seq, 'kind', m.kind,
          'sender', json_build_object(
            'id', s.id, 'username', s.username, 'displayName', s.display_name),
          'body', m.body, 'createdAt', m.created_at, 'editedAt', m.edited_at,
          'isDeleted', m.deleted_at is not null
        ) order by m.seq) as messages
        from messages m
        join users s on s.id = m.sender_id
        where m.conversation_id = r.conversation_id
          and m.seq between r.message_seq - ${contextSize}::int and r.message_seq + ${contextSize}::int
          and (m.seq = r.message_seq or exists (
            select 1 from ${readerScope(sql`r.conversation_id`, sql`r.reporter_id`)} scope
            where m.seq between scope.joined_seq and scope.left_seq
          ))
      ) context on r.conversation_id is not null
      where ${where}
      order by r.created_at desc, r.id desc
      limit ${limit}`),
  );
  return rows.map(toReportRow);
}

function toReportRow(row: ReportSqlRow): ReportRow {
  const conversation =
    row.conversation_id !== null && row.message_seq !== null && row.conversation_kind !== null
      ? {
          conversation: {
            id: row.conversation_id,
            kind: row.conversation_kind,
            title: row.conversation_title ?? '',
          },
          seq: row.message_seq,
          context: row.context.map((message) => ({
            ...message,
            createdAt: new Date(message.createdAt),
            editedAt: message.editedAt === null ? null : new Date(message.editedAt),
          })),
        }
      : null;
  return {
    id: row.id,
    createdAt: new Date(row.created_at),
    note: row.note,
    reporter: row.reporter,
    reportedUser: row.reported_user,
    message: conversation,
    resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at),
    resolvedBy: row.resolved_by,
  };
}
