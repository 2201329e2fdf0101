// For benchmarks and tests only (production code never imports it): bulk data written by the
// database in large statements, direct reads of what is stored, query plans, and session times
// set by hand. It lives in db/ because it talks to drizzle; db/index.ts does not export it.

import { and, asc, eq, gt, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database, type Executor, type Transaction } from './client';
import { historyPageQuery, type HistoryPageRequest } from './queries/history';
import { inTransaction, lockConversations } from './queries/locks';
import { appendMessages } from './queries/messages';
import { messageSearchQuery, type MessageSearchRequest } from './queries/search';
import { peopleSearchQuery } from './queries/users';
import {
  conversationMembers,
  conversations,
  messages,
  sessions,
  users,
  type MessageRow,
} from './schema';

/**
 * Appends `count` generated messages from a member to a conversation, through appendMessages
 * (one statement, gap-free seqs), then refreshes the planner's statistics of messages.
 */
export async function appendGeneratedMessages(
  db: Database,
  conversationId: string,
  senderId: string,
  count: number,
): Promise<void> {
  await appendGeneratedToEach(db, [{ conversationId, senderId, count }]);
}

/** appendGeneratedMessages for many conversations at once: one transaction, one statement. */
export async function appendGeneratedToEach(
  db: Database,
  appends: { conversationId: string; senderId: string; count: number }[],
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const lock = await lockConversations(
      tx,
      appends.map((append) => append.conversationId),
    );
    const results = await appendMessages(
      tx,
      lock,
      appends.map((append) => ({ kind: 'generated' as const, ...append })),
    );
    results.forEach((result, index) => {
      const { conversationId, senderId } = appends[index]!;
      if (result.status !== 'generated') {
        throw new Error(`${senderId} is not a member of conversation ${conversationId}`);
      }
    });
  });
  await db.execute(sql`analyze ${messages}`);
}

/** Everything a conversation holds, oldest first, whoever asks. */
export async function listStoredMessages(
  db: Executor,
  conversationId: string,
): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.seq));
}

/** The plan PostgreSQL picks for a statement, as EXPLAIN prints it. */
async function explain(db: Executor, query: SQL): Promise<string> {
  const result = await db.execute(sql`explain ${query}`);
  return rowsOf<Record<string, string>>(result)
    .map((row) => row['QUERY PLAN'])
    .join('\n');
}

/** The plan PostgreSQL picks for a history page (listHistoryPage). */
export async function explainHistoryPage(
  db: Executor,
  request: HistoryPageRequest,
): Promise<string> {
  return explain(db, historyPageQuery(request));
}

/** The plan PostgreSQL picks for a message search (searchMessages). */
export async function explainMessageSearch(
  db: Executor,
  request: MessageSearchRequest,
): Promise<string> {
  return explain(db, messageSearchQuery(request));
}

/**
 * Users, written directly (benchmarks need thousands; signing up would hash each password).
 * All share `passwordHash`. Returns them in order.
 */
export async function seedUsers(
  db: Executor,
  prefix: string,
  count: number,
  passwordHash: string,
): Promise<{ id: string; username: string }[]> {
  const created: { id: string; username: string }[] = [];
  for (let start = 0; start < count; start += 1_000) {
    const rows = Array.from({ length: Math.min(1_000, count - start) }, (_, index) => ({
      username: `${prefix}${start + index}`,
      passwordHash,
    }));
    created.push(
      ...(await db
        .insert(users)
        .values(rows)
        .returning({ id: users.id, username: users.username })),
    );
  }
  return created;
}

/**
 * `count` people for people search, written by the database in one statement: usernames
 * `<prefix><n>`, display names of a first and a last name from two lists of 50 (so each first
 * name is the name of one in 50), an "about" for every tenth. They cannot sign in.
 */
export async function seedPeople(db: Executor, prefix: string, count: number): Promise<void> {
  const first = PEOPLE_FIRST_NAMES;
  const last = PEOPLE_LAST_NAMES;
  await db.execute(sql`
    insert into users (username, password_hash, display_name, about)
    select ${prefix} || g, '!',
      (${JSON.stringify(first)}::jsonb ->> (g % ${first.length})) || ' ' ||
        (${JSON.stringify(last)}::jsonb ->> ((g / ${first.length}) % ${last.length})),
      case when g % 10 = 0 then 'Here since ' || (2000 + g % 25) else '' end
    from generate_series(1, ${count}) as g`);
}

// prettier-ignore
const PEOPLE_FIRST_NAMES = [
  'Ada', 'Ben', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Gustav', 'Hana', 'Ivan', 'Jae',
  'Kofi', 'Lucía', 'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq',
  'Uma', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zoë', 'Анна', 'Борис', 'Мария', 'Олег',
  'Αλέξης', 'Ελένη', 'أحمد', 'فاطمة', 'דניאל', 'נועה', '美咲', '翔太', '민준', '서연',
  'Amara', 'Bruno', 'Carmen', 'Diego', 'Emil', 'Freya', 'Giulia', 'Hugo', 'Ines', 'Jonas',
];

// prettier-ignore
const PEOPLE_LAST_NAMES = [
  'Smith', 'Müller', 'García', 'Rossi', 'Dubois', 'Kowalski', 'Novak', 'Silva', 'Jensen', 'Öztürk',
  'Yamamoto', 'Kim', 'Nguyen', 'Okafor', 'Haddad', 'Cohen', 'Petrov', 'Иванова', 'Смирнов', 'Papadopoulos',
  'Андреев', 'Wang', 'Li', 'Singh', 'Patel', 'Hernández', 'López', 'Martin', 'Bernard', 'Moreau',
  'Fischer', 'Weber', 'Schulz', 'Wagner', 'Becker', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf',
  'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt',
];

/** The plan PostgreSQL picks for a people search (searchPeople). */
export async function explainPeopleSearch(
  db: Executor,
  request: { searcherId: string; text: string; limit: number },
): Promise<string> {
  return explain(db, peopleSearchQuery(request));
}

/** A session per user with the given token hashes (in the same order), valid for a day. */
export async function seedSessions(
  db: Executor,
  userIds: string[],
  tokenHashes: string[],
): Promise<void> {
  const expiresAt = new Date(Date.now() + 24 * 60 * 60 * 1000);
  for (let start = 0; start < userIds.length; start += 1_000) {
    await db.insert(sessions).values(
      userIds.slice(start, start + 1_000).map((userId, index) => ({
        userId,
        tokenHash: tokenHashes[start + index]!,
        expiresAt,
      })),
    );
  }
}

/** A direct conversation per pair of users. Returns their ids, in order. */
export async function seedDirectConversations(
  db: Executor,
  pairs: [string, string][],
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < pairs.length; start += 1_000) {
    const chunk = pairs.slice(start, start + 1_000);
    const rows = await db
      .insert(conversations)
      .values(
        chunk.map(([a, b]) => ({
          kind: 'direct' as const,
          directKey: [a, b].sort().join(':'),
          createdBy: a,
        })),
      )
      .returning({ id: conversations.id });
    await db.insert(conversationMembers).values(
      rows.flatMap((row, index) => [
        { conversationId: row.id, userId: chunk[index]![0] },
        { conversationId: row.id, userId: chunk[index]![1] },
      ]),
    );
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

/** A group with the first member as admin. Returns its id. */
export async function seedGroup(db: Executor, title: string, memberIds: string[]): Promise<string> {
  const [group] = await db
    .insert(conversations)
    .values({ kind: 'group', title, createdBy: memberIds[0] })
    .returning({ id: conversations.id });
  await seedGroupMembers(db, group!.id, memberIds.slice(0, 1), 'admin');
  await seedGroupMembers(db, group!.id, memberIds.slice(1));
  return group!.id;
}

/** More members of a group, written directly: nobody is told. */
export async function seedGroupMembers(
  db: Executor,
  conversationId: string,
  userIds: string[],
  role: 'admin' | 'member' = 'member',
): Promise<void> {
  for (let start = 0; start < userIds.length; start += 1_000) {
    await db
      .insert(conversationMembers)
      .values(
        userIds.slice(start, start + 1_000).map((userId) => ({ conversationId, userId, role })),
      );
  }
}

/** The newest message id (0 when there is none): what a benchmark step stores comes after it. */
export async function maxMessageId(db: Executor): Promise<number> {
  const [row] = await db
    .select({ id: sql<number>`coalesce(max(${messages.id}), 0)`.mapWith(Number) })
    .from(messages);
  return row?.id ?? 0;
}

/** Every message stored after `afterId`, for a benchmark to check against what clients got. */
export async function listMessagesStoredAfter(
  db: Executor,
  afterId: number,
): Promise<{ conversationId: string; seq: number; body: string }[]> {
  return db
    .select({ conversationId: messages.conversationId, seq: messages.seq, body: messages.body })
    .from(messages)
    .where(gt(messages.id, afterId));
}

/**
 * Messages stored up to `upToId` in each conversation after the given seq: what devices that
 * started a benchmark step behind were still to receive from before it.
 */
export async function listEarlierMessagesAfterSeqs(
  db: Executor,
  upToId: number,
  afterSeqs: Map<string, number>,
): Promise<{ conversationId: string; seq: number; body: string }[]> {
  const entries = [...afterSeqs];
  const found: { conversationId: string; seq: number; body: string }[] = [];
  for (let start = 0; start < entries.length; start += 500) {
    const windows = entries
      .slice(start, start + 500)
      .map(([conversationId, seq]) =>
        and(eq(messages.conversationId, conversationId), gt(messages.seq, seq)),
      );
    found.push(
      ...(await db
        .select({
          conversationId: messages.conversationId,
          seq: messages.seq,
          body: messages.body,
        })
        .from(messages)
        .where(and(lte(messages.id, upToId), or(...windows)))),
    );
  }
  return found;
}

/** Each conversation's newest seq. */
export async function readLastSeqs(
  db: Executor,
  conversationIds: string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let start = 0; start < conversationIds.length; start += 1_000) {
    const rows = await db
      .select({ id: conversations.id, lastSeq: conversations.lastSeq })
      .from(conversations)
      .where(inArray(conversations.id, conversationIds.slice(start, start + 1_000)));
    for (const row of rows) found.set(row.id, row.lastSeq);
  }
  return found;
}

/** A named statement of a connection, as pg_prepared_statements counts its runs. */
export interface PreparedStatement {
  name: string;
  statement: string;
  /** How many of its runs were planned for their values, and how many ran on its kept plan. */
  customPlans: number;
  genericPlans: number;
}

/**
 * The named statements of the connection that runs this (PostgreSQL only), with how many runs
 * were planned for their values and how many took the plan kept for every run.
 */
export async function listPreparedStatements(db: Executor): Promise<PreparedStatement[]> {
  return rowsOf<PreparedStatement>(
    await db.execute(sql`
      select name, statement, custom_plans::int as "customPlans",
        generic_plans::int as "genericPlans"
      from pg_prepared_statements`),
  );
}

/**
 * The tables a statement prepared on this transaction's connection reads by sequential scan in
 * its generic plan (the plan PostgreSQL keeps for every run), for `parameters`.
 */
export async function listSequentialScans(
  tx: Transaction,
  statementName: string,
  parameters: string[],
): Promise<string[]> {
  await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
  const [row] = rowsOf<{ 'QUERY PLAN': unknown }>(
    await tx.execute(
      sql`explain (format json) execute ${sql.identifier(statementName)}(${sql.join(
        // As literals, which take the statement's parameter types (a bound value has none).
        parameters.map((parameter) => sql.raw(`'${parameter.replaceAll("'", "''")}'`)),
        sql`, `,
      )})`,
    ),
  );
  return sequentialScansIn(row?.['QUERY PLAN']);
}

/** The tables a plan (EXPLAIN's JSON, or auto_explain's) reads by sequential scan. */
export function sequentialScansIn(plan: unknown): string[] {
  const scans: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const entry = node as Record<string, unknown>;
    if (entry['Node Type'] === 'Seq Scan') scans.push(String(entry['Relation Name']));
    Object.values(entry).forEach(visit);
  };
  visit(plan);
  return scans;
}

/** Vacuums and analyzes everything, so that a measurement starts from a settled database. */
export async function vacuumAnalyze(db: Executor): Promise<void> {
  await db.execute(sql`vacuum analyze`);
}

/** A session's times, found by its token hash (whether it is still live or not). */
export async function readSessionTimes(
  db: Executor,
  tokenHash: string,
): Promise<{ id: string; expiresAt: Date; lastUsedAt: Date } | null> {
  const [row] = await db
    .select({ id: sessions.id, expiresAt: sessions.expiresAt, lastUsedAt: sessions.lastUsedAt })
    .from(sessions)
    .where(eq(sessions.tokenHash, tokenHash));
  return row ?? null;
}

/** Ages a session directly, so that the expiry tests need not wait for days. */
export async function setSessionTimes(
  db: Executor,
  tokenHash: string,
  times: { expiresAt?: Date; lastUsedAt?: Date },
): Promise<void> {
  const rows = await db
    .update(sessions)
    .set(times)
    .where(eq(sessions.tokenHash, tokenHash))
    .returning({ id: sessions.id });
  if (rows.length !== 1) throw new Error('no session with this token hash');
}

/** Marks an account deleted (deleted_at), for the tests of what admins may do with one. */
export async function markUserDeleted(db: Executor, userId: string): Promise<void> {
  await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, userId));
}
