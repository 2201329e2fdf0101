// The newest-page query of a big conversation must walk the (conversation_id, seq) index,
// never scan and sort, and a message search must find its matches through the words' GIN
// index: checked against the real planner of the database under test. On PostgreSQL, the
// statements run most often must keep one plan rather than be planned again on every run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findOrCreateDirectConversation,
  insertUser,
  listHistoryPage,
  listPresenceViewerIds,
  openDatabase,
  searchMessages,
  type DatabaseHandle,
} from '../../db';
import {
  appendGeneratedMessages,
  appendGeneratedToEach,
  explainHistoryPage,
  explainMessageSearch,
  listPreparedStatements,
  seedDirectConversations,
  type PreparedStatement,
  seedUsers,
  vacuumAnalyze,
} from '../../db/seed';
import { PRESENCE_PUSH_GROUP_MAX } from '../../protocol';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let handle: DatabaseHandle;
let big: string;
let small: string;
let reader: string;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await openDatabase(database.serverOptions);
  const alice = await insertUser(handle.db, { username: 'alice', passwordHash: 'x' });
  const bob = await insertUser(handle.db, { username: 'bob', passwordHash: 'x' });
  const carol = await insertUser(handle.db, { username: 'carol', passwordHash: 'x' });
  reader = bob.id;
  big = (await findOrCreateDirectConversation(handle.db, alice.id, bob.id)).id;
  small = (await findOrCreateDirectConversation(handle.db, alice.id, carol.id)).id;
  await appendGeneratedMessages(handle.db, small, alice.id, 1_000);
  await appendGeneratedMessages(handle.db, big, alice.id, 200_000);
}, 180_000);

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

describe(`history pages on ${TEST_DB}`, () => {
  it('use the index led by conversation_id for the newest page and for older pages', async () => {
    for (const beforeSeq of [undefined, 150_000, 50]) {
      const plan = await explainHistoryPage(handle.db, {
        conversationId: big,
        readerId: reader,
        beforeSeq,
        limit: 50,
      });
      expect(plan).toMatch(/Index Scan Backward using messages_conversation_seq_key on messages/);
      expect(plan).not.toMatch(/Seq Scan|Sort/);
    }
  });

  it('return the right rows from the big conversation', async () => {
    const page = await listHistoryPage(handle.db, {
      conversationId: big,
      readerId: reader,
      limit: 3,
    });
    expect(page?.messages.map((message) => message.seq)).toEqual([199_998, 199_999, 200_000]);
    const older = await listHistoryPage(handle.db, {
      conversationId: big,
      readerId: reader,
      beforeSeq: 2,
      limit: 3,
    });
    expect(older).toMatchObject({ hasMore: false, messages: [{ seq: 1 }] });
  });
});

// Statements are named only on PostgreSQL, which keeps one plan for a statement after its fifth
// run unless that plan looks dearer than planning each run for its values.
describe.runIf(TEST_DB === 'postgres')('statements on PostgreSQL', () => {
  /** Runs `fn` on one connection outside transactions: its named statements are the ones asked about. */
  async function onOneConnection(fn: (db: DatabaseHandle['db']) => Promise<void>): Promise<void> {
    const small = await openDatabase({ ...database.serverOptions, poolSize: 2 });
    try {
      await fn(small.db);
    } finally {
      await small.close();
    }
  }

  /** The statement ran `runs` times, and PostgreSQL kept a plan for it. */
  function expectKeptPlan(statement: PreparedStatement, runs: number): void {
    expect(statement.customPlans + statement.genericPlans).toBe(runs);
    expect(statement.genericPlans).toBeGreaterThan(0);
  }

  it('a history page keeps one plan for each kind of page instead of planning every page again', async () => {
    await onOneConnection(async (db) => {
      const kinds = [{}, { beforeSeq: 150_000 }, { afterSeq: 150_000 }];
      for (let run = 1; run <= 8; run++) {
        for (const kind of kinds) {
          // Pages of the sizes the app asks for (a gap's size is anything up to 100) share a
          // statement: one for each kind of page, not one for each size.
          const limit = [50, 20, 3][run % 3]!;
          const page = await listHistoryPage(db, {
            conversationId: big,
            readerId: reader,
            limit,
            ...kind,
          });
          expect(page?.messages).toHaveLength(limit);
          expect(page?.hasMore).toBe(true);
        }
      }
      const pages = (await listPreparedStatements(db)).filter((row) =>
        row.statement.includes('left join lateral'),
      );
      expect(pages).toHaveLength(kinds.length);
      for (const page of pages) expectKeptPlan(page, 8);
    });
  });

  it('who is told of presence keeps one plan, while most direct chats hold no message', async () => {
    // People who opened chats with each other and have not written yet: the statistics say
    // that hardly any direct chat makes its two people contacts.
    const quiet = await seedUsers(handle.db, 'quiet', 2_000, 'x');
    await seedDirectConversations(
      handle.db,
      Array.from({ length: 1_000 }, (_, index) => [quiet[2 * index]!.id, quiet[2 * index + 1]!.id]),
    );
    await vacuumAnalyze(handle.db);
    await onOneConnection(async (db) => {
      for (let run = 1; run <= 8; run++) {
        const viewers = await listPresenceViewerIds(
          db,
          [quiet[run]!.id, reader],
          PRESENCE_PUSH_GROUP_MAX,
        );
        // Alice writes to Bob and Carol: Bob's contact; the quiet have none.
        expect([...viewers.keys()]).toEqual([reader]);
      }
      const statements = (await listPreparedStatements(db)).filter((row) =>
        row.statement.includes('"subject_user"'),
      );
      expect(statements).toHaveLength(1);
      expectKeptPlan(statements[0]!, 8);
    });
  });
});

describe(`message search on ${TEST_DB}`, () => {
  const search = { readerId: '', limit: 20, matchesMax: 1_000 };

  it('finds the matches through messages_search_idx, not by reading the messages', async () => {
    const plan = await explainMessageSearch(handle.db, {
      ...search,
      readerId: reader,
      text: '12345',
    });
    expect(plan).toMatch(/Bitmap Index Scan on messages_search_idx/);
    expect(plan).not.toMatch(/Seq Scan on messages/);
  });

  it('finds a number among 200,000 messages; refuses common words unread, and too many matches', async () => {
    // The statistics of the index's most common words, as autovacuum would gather them.
    await vacuumAnalyze(handle.db);
    const found = await searchMessages(handle.db, { ...search, readerId: reader, text: '123456' });
    expect(found).toMatchObject({ status: 'found', terms: ['123456'], hasMore: false });
    expect(found.status === 'found' && found.hits.map((hit) => hit.seq)).toEqual([123_456]);
    // "message" is in every message: alone it is refused, beside a rare word it is cheap.
    const common = await searchMessages(handle.db, {
      ...search,
      readerId: reader,
      text: 'Message',
    });
    expect(common).toEqual({ status: 'common-words', terms: ['message'] });
    const beside = await searchMessages(handle.db, {
      ...search,
      readerId: reader,
      text: 'message 123456',
    });
    expect(beside.status === 'found' && beside.hits.map((hit) => hit.seq)).toEqual([123_456]);
    // "123" starts 1,111 of the numbers: more matches than a search looks through.
    const broad = await searchMessages(handle.db, { ...search, readerId: reader, text: '123' });
    expect(broad).toEqual({ status: 'too-broad', terms: ['123'] });
  });

  it('never reads every message of the reader’s big conversation to keep to their chats', async () => {
    // Many small chats make one person's chats look like few messages to the planner, which
    // then took the index of (conversation_id, seq) for them: every one of the big
    // conversation's 200,000 entries read for each search.
    const busy = await seedUsers(handle.db, 'busy', 2_000, 'x');
    const chats = await seedDirectConversations(
      handle.db,
      Array.from({ length: 1_000 }, (_, index) => [busy[2 * index]!.id, busy[2 * index + 1]!.id]),
    );
    await appendGeneratedToEach(
      handle.db,
      chats.map((conversationId, index) => ({
        conversationId,
        senderId: busy[2 * index]!.id,
        count: 20,
      })),
    );
    await vacuumAnalyze(handle.db);
    const plan = await explainMessageSearch(handle.db, {
      ...search,
      readerId: reader,
      text: '123456',
    });
    expect(plan).toMatch(/Bitmap Index Scan on messages_search_idx/);
    expect(plan).not.toMatch(/messages_conversation_seq_key/);
    const found = await searchMessages(handle.db, { ...search, readerId: reader, text: '123456' });
    expect(found.status === 'found' && found.hits.map((hit) => hit.seq)).toEqual([123_456]);
  });
});
