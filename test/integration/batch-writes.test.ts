// Group commit against the real database: many sends stored by one storeMessages call, system
// and generated messages appended by the same appendMessages, and many delivered/read reports
// applied by one advanceMarkers call. Every case checks the answer and what the database holds
// afterwards.

import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceMarkers,
  appendMessages,
  findMembership,
  findMessageByClientMsgId,
  inTransaction,
  listMemberMarkers,
  lockConversations,
  openDatabase,
  storeMessages,
  type Database,
  type DatabaseHandle,
  type MarkerAdvance,
  type SendResult,
  type TextItem,
} from '../../db';
import {
  appendGeneratedMessages,
  listPreparedStatements,
  listSequentialScans,
  sequentialScansIn,
  listStoredMessages,
  readLastSeqs,
  seedDirectConversations,
  seedGroup,
  seedUsers,
} from '../../db/seed';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let handle: DatabaseHandle;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await openDatabase(database.serverOptions);
  db = handle.db;
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

let prefixes = 0;

/** Fresh users for one test: nothing another test did can show up in its conversations. */
async function people(count: number): Promise<string[]> {
  prefixes += 1;
  const created = await seedUsers(db, `batch${prefixes}_`, count, 'x');
  return created.map((user) => user.id);
}

async function direct(a: string, b: string): Promise<string> {
  const [id] = await seedDirectConversations(db, [[a, b]]);
  return id!;
}

/** What the conversation holds, oldest first. */
async function stored(conversationId: string) {
  const messages = await listStoredMessages(db, conversationId);
  return messages.map(({ seq, senderId, clientMsgId, kind, body }) => ({
    seq,
    senderId,
    clientMsgId,
    kind,
    body,
  }));
}

/**
 * Resolves true once a statement on the PostgreSQL database under test waits for another's
 * lock, or false if `unless` settles first.
 */
async function waitForLockWait(unless?: Promise<unknown>): Promise<boolean> {
  let isSettled = false;
  const settle = () => (isSettled = true);
  unless?.then(settle, settle);
  const observer = postgres(database.serverOptions.databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    for (;;) {
      const waiting = await observer`
        select 1 from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`;
      if (waiting.length > 0) return true;
      if (isSettled) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await observer.end();
  }
}

async function lastSeq(conversationId: string): Promise<number | undefined> {
  return (await readLastSeqs(db, [conversationId])).get(conversationId);
}

/** Each member's markers, by user id. */
async function markers(conversationId: string) {
  const rows = await listMemberMarkers(db, conversationId);
  return Object.fromEntries(
    rows.map((row) => [row.id, { delivered: row.deliveredSeq, read: row.readSeq }]),
  );
}

function created(result: SendResult | undefined) {
  if (result?.status !== 'created') throw new Error(`expected created, got ${result?.status}`);
  return result;
}

function advanced(result: MarkerAdvance | null | undefined): MarkerAdvance {
  if (!result) throw new Error('expected a marker advance, got null');
  return result;
}

const sorted = (ids: string[]) => [...ids].sort();

/** A valid UUID whose text sorts by `n`: to give inputs an order unlike the sorted one. */
const orderedUuid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

function send(conversationId: string, senderId: string, body: string): TextItem {
  return { kind: 'text', conversationId, senderId, clientMsgId: randomUUID(), body };
}

/** One send alone: a batch of one. */
async function storeOne(item: TextItem): Promise<SendResult | undefined> {
  const [result] = await storeMessages(db, [item]);
  return result;
}

describe(`storeMessages on ${TEST_DB}`, () => {
  it('stores messages to two conversations with consecutive seqs in input order', async () => {
    const [a, b, c] = (await people(3)) as [string, string, string];
    const dm = await direct(a, b);
    const group = await seedGroup(db, 'Trip', [a, b, c]);
    // The group already holds two messages: the batch continues at seq 3.
    await storeOne(send(group, a, 'before 1'));
    await storeOne(send(group, c, 'before 2'));

    const inputs = [
      send(dm, a, 'dm one'),
      send(group, b, 'group three'),
      send(group, a, 'group four'),
      send(dm, b, 'dm two'),
      send(group, c, 'group five'),
    ];
    const results = await storeMessages(db, inputs);

    expect(results).toHaveLength(inputs.length);
    const expectedSeqs = [1, 3, 4, 2, 5];
    results.forEach((result, index) => {
      const { message, memberIds } = created(result);
      const input = inputs[index]!;
      expect(message).toMatchObject({
        conversationId: input.conversationId,
        senderId: input.senderId,
        clientMsgId: input.clientMsgId,
        body: input.body,
        kind: 'text',
        seq: expectedSeqs[index],
      });
      expect(message.createdAt).toBeInstanceOf(Date);
      expect(sorted(memberIds)).toEqual(sorted(input.conversationId === dm ? [a, b] : [a, b, c]));
    });

    expect(await stored(dm)).toEqual([
      { seq: 1, senderId: a, clientMsgId: inputs[0]!.clientMsgId, kind: 'text', body: 'dm one' },
      { seq: 2, senderId: b, clientMsgId: inputs[3]!.clientMsgId, kind: 'text', body: 'dm two' },
    ]);
    expect(
      (await stored(group)).map(({ seq, senderId, body }) => ({ seq, senderId, body })),
    ).toEqual([
      { seq: 1, senderId: a, body: 'before 1' },
      { seq: 2, senderId: c, body: 'before 2' },
      { seq: 3, senderId: b, body: 'group three' },
      { seq: 4, senderId: a, body: 'group four' },
      { seq: 5, senderId: c, body: 'group five' },
    ]);
    expect(await lastSeq(dm)).toBe(2);
    expect(await lastSeq(group)).toBe(5);

    // What each result answered is the row the database holds.
    for (const result of results) {
      const { message } = created(result);
      expect(await findMessageByClientMsgId(db, message.senderId, message.clientMsgId)).toEqual(
        message,
      );
    }

    // Each sender has read (and so received) their own newest message.
    expect(await markers(dm)).toEqual({
      [a]: { delivered: 1, read: 1 },
      [b]: { delivered: 2, read: 2 },
    });
    expect(await markers(group)).toEqual({
      [a]: { delivered: 4, read: 4 },
      [b]: { delivered: 3, read: 3 },
      [c]: { delivered: 5, read: 5 },
    });
  });

  it('answers a clientMsgId stored before with the original message and stores nothing for it', async () => {
    const [a, b] = (await people(2)) as [string, string];
    const dm = await direct(a, b);
    const original = await storeOne(send(dm, a, 'original'));
    const originalMessage = created(original).message;

    const retry: TextItem = {
      kind: 'text',
      conversationId: dm,
      senderId: a,
      clientMsgId: originalMessage.clientMsgId,
      body: 'retry with other text',
    };
    const fresh = send(dm, b, 'fresh');
    const results = await storeMessages(db, [retry, fresh]);

    expect(results).toHaveLength(2);
    expect(results[0]).toEqual({ status: 'duplicate', message: originalMessage });
    // The duplicate took no seq: the next message follows the original directly.
    expect(created(results[1]).message).toMatchObject({ seq: 2, body: 'fresh', senderId: b });

    expect(await stored(dm)).toEqual([
      {
        seq: 1,
        senderId: a,
        clientMsgId: originalMessage.clientMsgId,
        kind: 'text',
        body: 'original',
      },
      { seq: 2, senderId: b, clientMsgId: fresh.clientMsgId, kind: 'text', body: 'fresh' },
    ]);
    expect(await lastSeq(dm)).toBe(2);
    // The retry moved none of the sender's markers.
    expect(await markers(dm)).toEqual({
      [a]: { delivered: 1, read: 1 },
      [b]: { delivered: 2, read: 2 },
    });
  });

  it('stores a clientMsgId sent twice in one batch once, and answers the second as its duplicate', async () => {
    const [a, b] = (await people(2)) as [string, string];
    const dm = await direct(a, b);
    const clientMsgId = randomUUID();
    const first: TextItem = {
      kind: 'text',
      conversationId: dm,
      senderId: a,
      clientMsgId,
      body: 'first',
    };
    const other = send(dm, b, 'other');
    const second: TextItem = {
      kind: 'text',
      conversationId: dm,
      senderId: a,
      clientMsgId,
      body: 'second',
    };

    const results = await storeMessages(db, [first, other, second]);

    const firstMessage = created(results[0]).message;
    expect(firstMessage).toMatchObject({ seq: 1, body: 'first', clientMsgId, senderId: a });
    expect(created(results[1]).message).toMatchObject({ seq: 2, body: 'other', senderId: b });
    expect(results[2]).toEqual({ status: 'duplicate', message: firstMessage });

    expect(await stored(dm)).toEqual([
      { seq: 1, senderId: a, clientMsgId, kind: 'text', body: 'first' },
      { seq: 2, senderId: b, clientMsgId: other.clientMsgId, kind: 'text', body: 'other' },
    ]);
    expect(await lastSeq(dm)).toBe(2);
    expect(await findMessageByClientMsgId(db, a, clientMsgId)).toEqual(firstMessage);
  });

  it('refuses senders who are not members and stores the rest of the batch', async () => {
    const [a, b, outsider] = (await people(3)) as [string, string, string];
    const dm = await direct(a, b);
    const intruder = send(dm, outsider, 'let me in');
    const nowhere = send(randomUUID(), a, 'to a conversation that does not exist');
    const inputs = [send(dm, a, 'one'), intruder, nowhere, send(dm, b, 'two')];

    const results = await storeMessages(db, inputs);

    expect(results[1]).toEqual({ status: 'not-member' });
    expect(results[2]).toEqual({ status: 'not-member' });
    expect(created(results[0]).message).toMatchObject({ seq: 1, body: 'one' });
    // No seq was spent on the refused sends.
    expect(created(results[3]).message).toMatchObject({ seq: 2, body: 'two' });
    expect(sorted(created(results[3]).memberIds)).toEqual(sorted([a, b]));

    expect((await stored(dm)).map(({ seq, body }) => ({ seq, body }))).toEqual([
      { seq: 1, body: 'one' },
      { seq: 2, body: 'two' },
    ]);
    expect(await lastSeq(dm)).toBe(2);
    expect(await findMessageByClientMsgId(db, outsider, intruder.clientMsgId)).toBeNull();
    expect(await findMessageByClientMsgId(db, a, nowhere.clientMsgId)).toBeNull();
    expect(await findMembership(db, dm, outsider)).toBeNull();
  });

  it('refuses a non-member send even when the same clientMsgId is stored later in the batch', async () => {
    const [a, b, c, d] = (await people(4)) as [string, string, string, string];
    const theirs = await direct(c, d);
    const ours = await direct(a, b);
    const clientMsgId = randomUUID();
    const intrusion = { ...send(theirs, a, 'same id'), clientMsgId };
    const legit = { ...send(ours, a, 'same id'), clientMsgId };

    const results = await storeMessages(db, [intrusion, legit]);

    // As if sent one after the other: the first is refused, the second stored.
    expect(results[0]).toEqual({ status: 'not-member' });
    expect(created(results[1]).message).toMatchObject({ conversationId: ours, seq: 1 });
    expect(sorted(created(results[1]).memberIds)).toEqual(sorted([a, b]));
    expect(await stored(theirs)).toEqual([]);
  });
  it('answers in input order, whatever order the database works in', async () => {
    const [a, b, c] = (await people(3)) as [string, string, string];
    const withB = await direct(a, b);
    const withC = await direct(a, c);
    // Inputs run against every order the statement uses: the larger conversation id comes
    // first, and the clientMsgIds fall.
    const [high, low] = withB > withC ? [withB, withC] : [withC, withB];
    const other = (conversationId: string) => (conversationId === withB ? b : c);
    const inputs: TextItem[] = [
      { kind: 'text', conversationId: high, senderId: a, clientMsgId: orderedUuid(9), body: 'h1' },
      { kind: 'text', conversationId: low, senderId: a, clientMsgId: orderedUuid(8), body: 'l1' },
      {
        kind: 'text',
        conversationId: low,
        senderId: other(low),
        clientMsgId: orderedUuid(7),
        body: 'l2',
      },
      {
        kind: 'text',
        conversationId: high,
        senderId: other(high),
        clientMsgId: orderedUuid(6),
        body: 'h2',
      },
      { kind: 'text', conversationId: high, senderId: a, clientMsgId: orderedUuid(5), body: 'h3' },
      { kind: 'text', conversationId: low, senderId: a, clientMsgId: orderedUuid(4), body: 'l3' },
    ];

    const results = await storeMessages(db, inputs);

    expect(results).toHaveLength(inputs.length);
    results.forEach((result, index) => {
      const input = inputs[index]!;
      expect(created(result).message).toMatchObject({
        conversationId: input.conversationId,
        senderId: input.senderId,
        clientMsgId: input.clientMsgId,
        body: input.body,
      });
    });
    expect(results.map((result) => created(result).message.seq)).toEqual([1, 1, 2, 2, 3, 3]);
    expect((await stored(high)).map(({ seq, body }) => `${seq}:${body}`)).toEqual([
      '1:h1',
      '2:h2',
      '3:h3',
    ]);
    expect((await stored(low)).map(({ seq, body }) => `${seq}:${body}`)).toEqual([
      '1:l1',
      '2:l2',
      '3:l3',
    ]);
    expect(await lastSeq(high)).toBe(3);
    expect(await lastSeq(low)).toBe(3);
  });

  it('answers a mixed batch in input order', async () => {
    const [a, b, outsider] = (await people(3)) as [string, string, string];
    const dm = await direct(a, b);
    const before = created(await storeOne(send(dm, a, 'before')));
    const repeated = randomUUID();
    const inputs: TextItem[] = [
      { kind: 'text', conversationId: dm, senderId: b, clientMsgId: repeated, body: 'first' },
      send(dm, outsider, 'refused'),
      {
        kind: 'text',
        conversationId: dm,
        senderId: a,
        clientMsgId: before.message.clientMsgId,
        body: 'again',
      },
      { kind: 'text', conversationId: dm, senderId: b, clientMsgId: repeated, body: 'repeat' },
      send(dm, a, 'last'),
    ];

    const results = await storeMessages(db, inputs);

    expect(results.map((result) => result.status)).toEqual([
      'created',
      'not-member',
      'duplicate',
      'duplicate',
      'created',
    ]);
    const firstMessage = created(results[0]).message;
    expect(firstMessage).toMatchObject({ seq: 2, body: 'first' });
    expect(results[2]).toEqual({ status: 'duplicate', message: before.message });
    expect(results[3]).toEqual({ status: 'duplicate', message: firstMessage });
    expect(created(results[4]).message).toMatchObject({ seq: 3, body: 'last' });
    expect((await stored(dm)).map(({ seq, body }) => ({ seq, body }))).toEqual([
      { seq: 1, body: 'before' },
      { seq: 2, body: 'first' },
      { seq: 3, body: 'last' },
    ]);
    expect(await lastSeq(dm)).toBe(3);
  });

  it('stores a batch of one like a single send', async () => {
    const [a, b] = (await people(2)) as [string, string];
    const dm = await direct(a, b);
    const input = send(dm, a, 'alone');
    const [result] = await storeMessages(db, [input]);
    const { message, memberIds } = created(result);
    expect(message).toMatchObject({ seq: 1, body: 'alone', kind: 'text' });
    expect(sorted(memberIds)).toEqual(sorted([a, b]));
    expect(await lastSeq(dm)).toBe(1);
    expect(await findMessageByClientMsgId(db, a, input.clientMsgId)).toEqual(message);
  });

  // PGlite runs one transaction at a time: only PostgreSQL can interleave two.
  it.runIf(TEST_DB === 'postgres')(
    'retries a batch alone when another transaction stores the same clientMsgId first',
    async () => {
      const [a, b, c] = (await people(3)) as [string, string, string];
      const withB = await direct(a, b);
      const withC = await direct(a, c);
      const clientMsgId = randomUUID();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let appended!: () => void;
      const isAppended = new Promise<void>((resolve) => (appended = resolve));

      // The first transaction stores the id and stays open; the batch then waits on the unique
      // index for it, and fails with a unique violation once it commits.
      const first = inTransaction(db, async (tx) => {
        const lock = await lockConversations(tx, [withB]);
        const [result] = await appendMessages(tx, lock, [
          { ...send(withB, a, 'first'), clientMsgId },
        ]);
        appended();
        await gate;
        return result;
      });
      await isAppended;
      const batch = storeMessages(db, [
        { ...send(withC, a, 'second'), clientMsgId },
        send(withC, c, 'other'),
      ]);
      await waitForLockWait();
      release();

      const won = created(await first);
      const results = await batch;
      expect(results[0]).toEqual({ status: 'duplicate', message: won.message });
      expect(created(results[1]).message).toMatchObject({ seq: 1, body: 'other', senderId: c });
      expect((await stored(withC)).map(({ seq, body }) => `${seq}:${body}`)).toEqual(['1:other']);
      expect(await lastSeq(withC)).toBe(1);
    },
  );
});

// Statements are named only on PostgreSQL (PGlite has no protocol round trips to save).
describe.runIf(TEST_DB === 'postgres')('statements on PostgreSQL', () => {
  it('stores a send in one named statement, and keeps one plan for each statement, also in transactions', async () => {
    // One connection for transactions and one for the rest: each one's named statements are
    // the ones asked about.
    const small = await openDatabase({ ...database.serverOptions, poolSize: 2 });
    try {
      const [a, b] = (await people(2)) as [string, string];
      const dm = await direct(a, b);
      // More runs than the five after which PostgreSQL keeps one plan for every run.
      for (let run = 1; run <= 8; run++) {
        const [result] = await storeMessages(small.db, [send(dm, a, `run ${run}`)]);
        const { message } = created(result);
        expect(await findMessageByClientMsgId(small.db, a, message.clientMsgId)).toEqual(message);
        await inTransaction(small.db, (tx) => lockConversations(tx, [dm]));
      }
      const outside = await listPreparedStatements(small.db);
      const sends = outside.filter((row) => row.statement.includes('append_messages('));
      // One statement a send, which PostgreSQL runs as a transaction of its own.
      expect(sends).toHaveLength(1);
      expect(sends[0]!.customPlans + sends[0]!.genericPlans).toBe(8);
      const lookup = outside.filter((row) =>
        row.statement.includes('"messages"."client_msg_id" = $2'),
      );
      expect(lookup).toHaveLength(1);
      expect(lookup[0]!.genericPlans).toBeGreaterThan(0);

      // The lock's kept plan, made from this test database's few rows, for which a sequential
      // scan looks cheapest, must still go through the primary key.
      const lock = await inTransaction(small.db, async (tx) => {
        const [statement] = (await listPreparedStatements(tx)).filter((row) =>
          row.statement.includes('for update'),
        );
        return {
          ...statement!,
          scans: await listSequentialScans(tx, statement!.name, [JSON.stringify([dm])]),
        };
      });
      expect(lock.genericPlans).toBeGreaterThan(0);
      expect(lock.scans).toEqual([]);
    } finally {
      await small.close();
    }
  });

  /**
   * The plans of a database function's own statements, as auto_explain sends them to the
   * client that calls it, with generic plans (the ones kept for every run) made at the first
   * call. Answers how many nested statements ran and the tables any of them scanned.
   */
  async function plansOfCalls(
    functionName: string,
    calls: (client: postgres.Sql) => Promise<void>,
  ): Promise<{ nested: number; scans: string[] }> {
    const plans: string[] = [];
    const client = postgres(database.serverOptions.databaseUrl!, {
      max: 1,
      fetch_types: false,
      onnotice: (notice) => plans.push(String(notice.message)),
    });
    try {
      await client.unsafe(`load 'auto_explain'`);
      for (const setting of [
        'auto_explain.log_min_duration = 0',
        'auto_explain.log_nested_statements = on',
        `auto_explain.log_format = 'json'`,
        'client_min_messages = log',
        'plan_cache_mode = force_generic_plan',
      ]) {
        await client.unsafe(`set ${setting}`);
      }
      await calls(client);
    } finally {
      await client.end();
    }
    const scans = new Set<string>();
    let nested = 0;
    for (const message of plans) {
      const json = message.slice(message.indexOf('{'));
      if (!json.startsWith('{')) continue;
      const plan = JSON.parse(json) as Record<string, unknown>;
      if (!String(plan['Query Text']).includes(`${functionName}(`)) nested++;
      for (const table of sequentialScansIn(plan)) scans.add(table);
    }
    return { nested, scans: [...scans] };
  }

  it('appends through the indexes with a plan made from a small database', async () => {
    const [a, b] = (await people(2)) as [string, string];
    const dm = await direct(a, b);
    const item = { i: 0, kind: 'text', conversation_id: dm, sender_id: a, n: 1, body: 'x' };
    const { nested, scans } = await plansOfCalls('append_messages', async (client) => {
      for (const clientMsgId of [randomUUID(), randomUUID()]) {
        await client.unsafe('select * from append_messages($1::text::jsonb)', [
          JSON.stringify([{ ...item, client_msg_id: clientMsgId }]),
        ]);
      }
    });
    expect(await stored(dm)).toHaveLength(2);
    // The lock and the append, at each of the two calls.
    expect(nested).toBeGreaterThanOrEqual(4);
    expect(scans).toEqual([]);
  });

  it('moves markers through the indexes with a plan made from a small database', async () => {
    const [a, b, c] = (await people(3)) as [string, string, string];
    const dm = await direct(a, b);
    const group = await seedGroup(db, 'Plans', [a, b, c]);
    await appendGeneratedMessages(db, dm, a, 3);
    await appendGeneratedMessages(db, group, a, 3);
    const { nested, scans } = await plansOfCalls('advance_markers', async (client) => {
      for (const seq of [1, 2]) {
        await client.unsafe('select * from advance_markers($1::text::jsonb)', [
          JSON.stringify([
            { conversation_id: dm, user_id: b, delivered: seq, read: 0 },
            { conversation_id: group, user_id: c, delivered: seq, read: 0 },
          ]),
        ]);
      }
    });
    expect((await markers(dm))[b]).toEqual({ delivered: 2, read: 0 });
    expect((await markers(group))[c]).toEqual({ delivered: 2, read: 0 });
    // The advisory lock, the move and the read of the minimums after it, at each call.
    expect(nested).toBeGreaterThanOrEqual(6);
    expect(scans).toEqual([]);
  });
});

describe(`appendMessages on ${TEST_DB}`, () => {
  it("records system messages in the given order among text, in the actor's name even when not a member", async () => {
    const [a, b, gone] = (await people(3)) as [string, string, string];
    const group = await seedGroup(db, 'Log', [a, b]);
    await storeOne(send(group, b, 'hello'));

    const results = await inTransaction(db, async (tx) => {
      const lock = await lockConversations(tx, [group]);
      return appendMessages(tx, lock, [
        { kind: 'system', conversationId: group, senderId: gone, body: 'gone left' },
        send(group, a, 'after the record'),
        { kind: 'system', conversationId: group, senderId: a, body: 'a did something' },
      ]);
    });

    expect(results[0]).toMatchObject({
      status: 'recorded',
      message: { seq: 2, kind: 'system', senderId: gone, body: 'gone left' },
    });
    expect(created(results[1] as SendResult).message).toMatchObject({ seq: 3, kind: 'text' });
    expect(results[2]).toMatchObject({ status: 'recorded', message: { seq: 4, senderId: a } });
    expect((await stored(group)).map(({ seq, kind, body }) => `${seq} ${kind} ${body}`)).toEqual([
      '1 text hello',
      '2 system gone left',
      '3 text after the record',
      '4 system a did something',
    ]);
    expect(await lastSeq(group)).toBe(4);
    // The actor has what they wrote delivered and read, like any sender.
    expect(await markers(group)).toEqual({
      [a]: { delivered: 4, read: 4 },
      [b]: { delivered: 1, read: 1 },
    });
  });

  it('appends generated messages after the others, moving no marker, and only from members', async () => {
    const [a, b, outsider] = (await people(3)) as [string, string, string];
    const dm = await direct(a, b);
    await storeOne(send(dm, a, 'first'));

    const results = await inTransaction(db, async (tx) => {
      const lock = await lockConversations(tx, [dm]);
      return appendMessages(tx, lock, [
        { kind: 'generated', conversationId: dm, senderId: b, count: 3 },
        { kind: 'generated', conversationId: dm, senderId: outsider, count: 2 },
        { kind: 'generated', conversationId: dm, senderId: a, count: 2 },
      ]);
    });

    expect(results).toEqual([
      { status: 'generated', fromSeq: 2, toSeq: 4 },
      { status: 'not-member' },
      { status: 'generated', fromSeq: 5, toSeq: 6 },
    ]);
    expect((await stored(dm)).map(({ seq, senderId, body }) => [seq, senderId, body])).toEqual([
      [1, a, 'first'],
      [2, b, 'generated message 2'],
      [3, b, 'generated message 3'],
      [4, b, 'generated message 4'],
      [5, a, 'generated message 5'],
      [6, a, 'generated message 6'],
    ]);
    expect(await lastSeq(dm)).toBe(6);
    expect(await markers(dm)).toEqual({
      [a]: { delivered: 1, read: 1 },
      [b]: { delivered: 0, read: 0 },
    });
  });

  it('refuses to append to a conversation the transaction has not locked, storing nothing', async () => {
    const [a, b, c] = (await people(3)) as [string, string, string];
    const locked = await direct(a, b);
    const unlocked = await direct(a, c);

    await expect(
      inTransaction(db, async (tx) => {
        const lock = await lockConversations(tx, [locked]);
        return appendMessages(tx, lock, [send(locked, a, 'fine'), send(unlocked, a, 'not fine')]);
      }),
    ).rejects.toThrow(/not locked/);
    const finished = await inTransaction(db, (other) => lockConversations(other, [locked]));
    await expect(
      inTransaction(db, (tx) =>
        appendMessages(tx, finished, [send(locked, a, 'with the lock of another transaction')]),
      ),
    ).rejects.toThrow(/another transaction/);

    expect(await stored(locked)).toEqual([]);
    expect(await stored(unlocked)).toEqual([]);
  });
});

describe(`advanceMarkers on ${TEST_DB}`, () => {
  /** A group of three and a direct conversation, with messages and every marker at 0. */
  async function setup(groupMessages: number, directMessages: number) {
    const [a, b, c, d] = (await people(4)) as [string, string, string, string];
    const group = await seedGroup(db, 'Markers', [a, b, c]);
    const dm = await direct(a, d);
    await appendGeneratedMessages(db, group, a, groupMessages);
    await appendGeneratedMessages(db, dm, a, directMessages);
    return { a, b, c, d, group, dm };
  }

  it('moves several members of two conversations in one batch', async () => {
    const { a, b, c, d, group, dm } = await setup(10, 5);
    // a has everything in the direct conversation: d's report moves its minimum.
    await advanceMarkers(db, [{ conversationId: dm, userId: a, readSeq: 5 }]);

    const results = await advanceMarkers(db, [
      { conversationId: group, userId: b, deliveredSeq: 4 },
      { conversationId: group, userId: c, readSeq: 3 },
      { conversationId: dm, userId: d, deliveredSeq: 5, readSeq: 2 },
    ]);

    // In the group, a is still at 0: the conversation-wide markers stay.
    expect(results[0]).toEqual({
      deliveredSeq: 4,
      readSeq: 0,
      deliveredToAllSeq: 0,
      readByAllSeq: 0,
      newlyDelivered: 4,
      isConversationWideChanged: false,
      memberIds: [],
      readHiddenByIds: [],
    });
    // Reading implies delivery.
    expect(results[1]).toEqual({
      deliveredSeq: 3,
      readSeq: 3,
      deliveredToAllSeq: 0,
      readByAllSeq: 0,
      newlyDelivered: 3,
      isConversationWideChanged: false,
      memberIds: [],
      readHiddenByIds: [],
    });
    const moved = advanced(results[2]);
    expect({ ...moved, memberIds: sorted(moved.memberIds) }).toEqual({
      deliveredSeq: 5,
      readSeq: 2,
      deliveredToAllSeq: 5,
      readByAllSeq: 2,
      newlyDelivered: 5,
      isConversationWideChanged: true,
      memberIds: sorted([a, d]),
      readHiddenByIds: [],
    });

    expect(await markers(group)).toEqual({
      [a]: { delivered: 0, read: 0 },
      [b]: { delivered: 4, read: 0 },
      [c]: { delivered: 3, read: 3 },
    });
    expect(await markers(dm)).toEqual({
      [a]: { delivered: 5, read: 5 },
      [d]: { delivered: 5, read: 2 },
    });
  });

  it('never moves a marker back, and never past the newest message', async () => {
    const { a, d, dm } = await setup(1, 5);
    await advanceMarkers(db, [{ conversationId: dm, userId: a, deliveredSeq: 4, readSeq: 3 }]);

    const results = await advanceMarkers(db, [
      { conversationId: dm, userId: a, deliveredSeq: 2, readSeq: 1 },
      { conversationId: dm, userId: d, readSeq: 99 },
    ]);

    expect(advanced(results[0])).toMatchObject({
      deliveredSeq: 4,
      readSeq: 3,
      newlyDelivered: 0,
    });
    expect(advanced(results[1])).toMatchObject({
      deliveredSeq: 5,
      readSeq: 5,
      newlyDelivered: 5,
      deliveredToAllSeq: 4,
      readByAllSeq: 3,
      isConversationWideChanged: true,
    });
    expect(await markers(dm)).toEqual({
      [a]: { delivered: 4, read: 3 },
      [d]: { delivered: 5, read: 5 },
    });

    // Once more, only lower seqs: nothing moves, nothing is newly delivered or changed.
    const again = await advanceMarkers(db, [
      { conversationId: dm, userId: a, readSeq: 0 },
      { conversationId: dm, userId: d, deliveredSeq: 3 },
    ]);
    expect(again).toEqual([
      {
        deliveredSeq: 4,
        readSeq: 3,
        deliveredToAllSeq: 4,
        readByAllSeq: 3,
        newlyDelivered: 0,
        isConversationWideChanged: false,
        memberIds: [],
        readHiddenByIds: [],
      },
      {
        deliveredSeq: 5,
        readSeq: 5,
        deliveredToAllSeq: 4,
        readByAllSeq: 3,
        newlyDelivered: 0,
        isConversationWideChanged: false,
        memberIds: [],
        readHiddenByIds: [],
      },
    ]);
    expect(await markers(dm)).toEqual({
      [a]: { delivered: 4, read: 3 },
      [d]: { delivered: 5, read: 5 },
    });
  });

  it('answers null for a move of a non-member, and still applies the others', async () => {
    const { a, b, c, d, group } = await setup(6, 1);
    const results = await advanceMarkers(db, [
      { conversationId: group, userId: d, deliveredSeq: 3 },
      { conversationId: group, userId: b, deliveredSeq: 2 },
      { conversationId: randomUUID(), userId: a, readSeq: 1 },
    ]);
    expect(results).toHaveLength(3);
    expect(results[0]).toBeNull();
    expect(advanced(results[1])).toMatchObject({ deliveredSeq: 2, newlyDelivered: 2 });
    expect(results[2]).toBeNull();

    expect(await findMembership(db, group, d)).toBeNull();
    expect(await markers(group)).toEqual({
      [a]: { delivered: 0, read: 0 },
      [b]: { delivered: 2, read: 0 },
      [c]: { delivered: 0, read: 0 },
    });

    // A batch of nothing but non-members.
    expect(
      await advanceMarkers(db, [
        { conversationId: group, userId: d, readSeq: 6 },
        { conversationId: randomUUID(), userId: d, deliveredSeq: 1 },
      ]),
    ).toEqual([null, null]);
    expect(await markers(group)).toEqual({
      [a]: { delivered: 0, read: 0 },
      [b]: { delivered: 2, read: 0 },
      [c]: { delivered: 0, read: 0 },
    });
  });

  it('reports a change of the conversation-wide markers to every member, and only then', async () => {
    const { a, b, c, d, group, dm } = await setup(8, 3);
    await advanceMarkers(db, [
      { conversationId: group, userId: a, readSeq: 8 },
      { conversationId: group, userId: b, deliveredSeq: 8, readSeq: 2 },
    ]);

    // c is the last one behind in the group: with b's read, the batch moves both minimums.
    // It also carries a direct-conversation move that changes no minimum.
    const results = await advanceMarkers(db, [
      { conversationId: group, userId: c, deliveredSeq: 8, readSeq: 5 },
      { conversationId: dm, userId: d, deliveredSeq: 2 },
      { conversationId: group, userId: b, readSeq: 4 },
    ]);

    const forC = advanced(results[0]);
    const forB = advanced(results[2]);
    for (const result of [forC, forB]) {
      expect(result).toMatchObject({
        deliveredToAllSeq: 8,
        readByAllSeq: 4,
        isConversationWideChanged: true,
      });
      expect(sorted(result.memberIds)).toEqual(sorted([a, b, c]));
    }
    expect(forC).toMatchObject({ deliveredSeq: 8, readSeq: 5, newlyDelivered: 8 });
    expect(forB).toMatchObject({ deliveredSeq: 8, readSeq: 4, newlyDelivered: 0 });
    expect(results[1]).toEqual({
      deliveredSeq: 2,
      readSeq: 0,
      deliveredToAllSeq: 0,
      readByAllSeq: 0,
      newlyDelivered: 2,
      isConversationWideChanged: false,
      memberIds: [],
      readHiddenByIds: [],
    });
    expect(await markers(group)).toEqual({
      [a]: { delivered: 8, read: 8 },
      [b]: { delivered: 8, read: 4 },
      [c]: { delivered: 8, read: 5 },
    });
    expect(await markers(dm)).toEqual({
      [a]: { delivered: 0, read: 0 },
      [d]: { delivered: 2, read: 0 },
    });

    // Only the read minimum moves (delivery to all was already complete): still a change.
    const [readOnly] = await advanceMarkers(db, [{ conversationId: group, userId: b, readSeq: 6 }]);
    expect(advanced(readOnly)).toMatchObject({
      deliveredSeq: 8,
      readSeq: 6,
      deliveredToAllSeq: 8,
      readByAllSeq: 5,
      newlyDelivered: 0,
      isConversationWideChanged: true,
    });
    expect(sorted(advanced(readOnly).memberIds)).toEqual(sorted([a, b, c]));
  });

  it('applies two moves of one member in one batch, counting new deliveries once', async () => {
    const { a, b, c, group } = await setup(10, 1);
    await advanceMarkers(db, [{ conversationId: group, userId: b, deliveredSeq: 2 }]);

    const results = await advanceMarkers(db, [
      { conversationId: group, userId: b, deliveredSeq: 3 },
      { conversationId: group, userId: c, deliveredSeq: 1 },
      { conversationId: group, userId: b, readSeq: 6 },
      { conversationId: group, userId: b, deliveredSeq: 4 },
    ]);

    // Every move of b answers b's markers after the whole batch; the first counts 2 → 6.
    const expectedB = {
      deliveredSeq: 6,
      readSeq: 6,
      deliveredToAllSeq: 0,
      readByAllSeq: 0,
      isConversationWideChanged: false,
      memberIds: [],
      readHiddenByIds: [],
    };
    expect(results[0]).toEqual({ ...expectedB, newlyDelivered: 4 });
    expect(results[2]).toEqual({ ...expectedB, newlyDelivered: 0 });
    expect(results[3]).toEqual({ ...expectedB, newlyDelivered: 0 });
    expect(advanced(results[1])).toMatchObject({ deliveredSeq: 1, readSeq: 0, newlyDelivered: 1 });
    expect(await markers(group)).toEqual({
      [a]: { delivered: 0, read: 0 },
      [b]: { delivered: 6, read: 6 },
      [c]: { delivered: 1, read: 0 },
    });

    // The higher of two moves wins, whichever comes first.
    const again = await advanceMarkers(db, [
      { conversationId: group, userId: c, readSeq: 5 },
      { conversationId: group, userId: c, deliveredSeq: 2 },
    ]);
    expect(again.map((result) => advanced(result).deliveredSeq)).toEqual([5, 5]);
    expect(again.map((result) => advanced(result).readSeq)).toEqual([5, 5]);
    expect(again.map((result) => advanced(result).newlyDelivered)).toEqual([4, 0]);
    expect((await markers(group))[c]).toEqual({ delivered: 5, read: 5 });
  });

  // PGlite runs one transaction at a time: only PostgreSQL can interleave two.
  it.runIf(TEST_DB === 'postgres')(
    'of two members reporting at once, the one who reports last sees the change of the minimum',
    async () => {
      const { a, d, dm } = await setup(1, 4);
      // a's report is in progress: moved and read, not yet committed. Reading before the
      // other's commit, each of two reports at once would see the other's marker still at 0,
      // and the change of the minimum to 4 would reach nobody.
      const open = postgres(database.serverOptions.databaseUrl!, { max: 1, onnotice: () => {} });
      try {
        let commitA!: () => void;
        const isCommitted = new Promise<void>((resolve) => (commitA = resolve));
        let movedA!: () => void;
        const isMovedA = new Promise<void>((resolve) => (movedA = resolve));
        const reportA = open.begin(async (tx) => {
          await tx.unsafe('select * from advance_markers($1::text::jsonb)', [
            JSON.stringify([{ conversation_id: dm, user_id: a, delivered: 4, read: 0 }]),
          ]);
          movedA();
          await isCommitted;
        });
        await isMovedA;
        // d's report must wait for a's to commit: it does not finish before it.
        const byD = advanceMarkers(db, [{ conversationId: dm, userId: d, deliveredSeq: 4 }]);
        const waited = await waitForLockWait(byD);
        commitA();
        await reportA;
        const [result] = await byD;
        expect(waited).toBe(true);
        expect(advanced(result)).toMatchObject({
          deliveredSeq: 4,
          deliveredToAllSeq: 4,
          isConversationWideChanged: true,
        });
        expect(sorted(advanced(result).memberIds)).toEqual(sorted([a, d]));
      } finally {
        await open.end();
      }
    },
  );
});
