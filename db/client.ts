// Opens the database: embedded PGlite in a folder by default, PostgreSQL when a URL is given.
// Both run the same migrations and the same queries.

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import {
  PgDialect,
  type PgDatabase,
  type PgQueryResultHKT,
  type PgTransaction,
} from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import * as schema from './schema';

type Schema = typeof schema;

/** The query interface both drivers share. Only db/ sees what is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Transaction = PgTransaction<
  PgQueryResultHKT,
  Schema,
  ExtractTablesWithRelations<Schema>
>;
/** Queries accept either, so that a caller can compose them inside one transaction. */
export type Executor = Database | Transaction;

export interface DatabaseOptions {
  /** PostgreSQL connection string. When absent, PGlite stores its files in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Connections in the postgres.js pool. */
  poolSize?: number;
  /**
   * Named prepared statements (parsed and planned once per connection). Turn off behind a
   * pooler in transaction mode (PgBouncer), which cannot keep them. Default: on.
   */
  preparedStatements?: boolean;
}

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  /** Where the data lives, without credentials: for logs. */
  location: string;
  /** For the pool metrics: connections available, and queries or transactions under way. */
  stats(): { poolSize: number; inFlight: number };
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Counts database work under way; beyond the pool size, work waits for a connection. */
interface InFlight {
  count: number;
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
/** Any constant works: it only has to be the same on every node that migrates. */
const MIGRATION_LOCK_KEY = 7_220_451;

/** The rows of a raw `execute`, whichever driver ran it. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Turns drizzle's `sql` into text and parameters, the same for both drivers. */
const dialect = new PgDialect();

/**
 * The rows of a raw statement as arrays of values, in the order of its select list. `execute`
 * hands each row over as an object, which the driver builds a property at a time: with
 * postgres.js, a history page of 51 rows of 21 columns cost the node about a third more that
 * way (docs/performance.md). This is the path drizzle's own query builder takes.
 */
export function executeValues<Row extends unknown[]>(db: Executor, query: SQL): Promise<Row[]> {
  return db._.session
    .prepareQuery<{ execute: Row[]; all: unknown; values: unknown }>(
      dialect.sqlToQuery(query),
      undefined,
      undefined,
      true,
      (rows) => rows as Row[],
    )
    .execute();
}

/**
 * postgres.js asks every new connection for the array types of the database before its first
 * query. The schema has no array columns (lists travel as json), so that round trip buys
 * nothing; and a connection closed while it runs (a pool ending as a write comes in) rejects a
 * promise nobody holds: an unhandled rejection.
 */
/**
 * `connect_timeout` (seconds) bounds how long a query waits for a connection to a database
 * that does not answer (the default is 30 s): it then fails, and the client is told to retry.
 */
const CONNECTION_OPTIONS = { fetch_types: false, onnotice: () => {}, connect_timeout: 3 } as const;

/** Opens the database and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.preparedStatements ?? true)
    : openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const directory = resolve(dataDir);
  mkdirSync(directory, { recursive: true });
  // PGlite opened twice on one folder diverges silently; a second process must refuse to start.
  const lock: DataDirLock = acquireDataDirLock(directory);
  let client: PGlite;
  try {
    client = await PGlite.create(`${directory}/pglite`);
  } catch (error) {
    lock.release();
    throw error;
  }
  const inFlight: InFlight = { count: 0 };
  client.query = countCalls(client.query.bind(client), inFlight) as typeof client.query;
  client.transaction = countCalls(
    client.transaction.bind(client),
    inFlight,
  ) as typeof client.transaction;
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  try {
    await migratePglite(drizzlePglite({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close();
    lock.release();
    throw error;
  }
  return {
    db,
    driver: 'pglite',
    location: directory,
    stats: () => ({ poolSize: 1, inFlight: inFlight.count }),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
      lock.release();
    },
  };
}

async function openPostgres(
  url: string,
  poolSize: number,
  preparedStatements: boolean,
): Promise<DatabaseHandle> {
  await migratePostgresOnce(url);
  // Transactions run on connections of their own (half the pool, at least one each way). Their
  // statements are named too, and PostgreSQL keeps one plan for each after its fifth run: the
  // send's statements are large, and planning them for every run cost about 0.9 ms of
  // PostgreSQL's time per message that arrives alone. A kept plan is made from the statistics
  // of the moment, and a new database's first statistics describe empty tables, for which a
  // sequential scan looks cheapest: the send's lookups stayed scans (appends of up to 1.7 s)
  // until the next ANALYZE. The lookups of transactions are made to go through indexes, so
  // these connections never choose a sequential scan where an index serves (`enable_seqscan =
  // off` only prices scans out: a table without a usable index is still read). The other
  // connections keep their plans and settings.
  const transactionConnections = Math.max(1, Math.ceil(poolSize / 2));
  const client = postgres(url, {
    max: Math.max(1, poolSize - transactionConnections),
    ...CONNECTION_OPTIONS,
  });
  const transactions = postgres(url, {
    max: transactionConnections,
    ...CONNECTION_OPTIONS,
    connection: { enable_seqscan: 'off' },
  });
  const inFlight: InFlight = { count: 0 };
  wrapPostgresClient(client, transactions, inFlight, preparedStatements);
  const db = drizzlePostgres({ client, schema }) as unknown as Database;
  // drizzle sets how values are sent and read on the client it is given (dates and json as
  // text); the transactions' client must do the same.
  Object.assign(transactions.options.serializers, client.options.serializers);
  Object.assign(transactions.options.parsers, client.options.parsers);
  return {
    db,
    driver: 'postgres',
    location: describePostgresUrl(url),
    stats: () => ({ poolSize, inFlight: inFlight.count }),
    ping: async () => {
      await db.execute(sql`select 1`);
      await db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
      });
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), transactions.end({ timeout: 5 })]);
    },
  };
}

/** Several nodes may start at once: an advisory lock lets exactly one of them migrate. */
async function migratePostgresOnce(url: string): Promise<void> {
  const client = postgres(url, { max: 1, ...CONNECTION_OPTIONS });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

function countCalls<F extends (...args: never[]) => Promise<unknown>>(
  call: F,
  inFlight: InFlight,
): F {
  return (async (...args: Parameters<F>) => {
    inFlight.count++;
    try {
      return await call(...args);
    } finally {
      inFlight.count--;
    }
  }) as F;
}

/**
 * Sets whether statements are prepared, sends transactions to their own connections, and
 * counts work for the pool metrics.
 *
 * postgres.js exposes no pool statistics, so queries are counted from the moment they run
 * until they settle. A postgres.js query runs when it is first awaited (after drizzle has set
 * `.values()` on it), so the count starts in `then`. A transaction counts once, as it holds
 * one connection throughout.
 */
function wrapPostgresClient(
  client: postgres.Sql,
  transactions: postgres.Sql,
  inFlight: InFlight,
  prepare: boolean,
): void {
  const unsafe = preparing(client, prepare);
  client.unsafe = ((...args: Parameters<typeof unsafe>) => {
    const query = unsafe(...args);
    const then = query.then.bind(query);
    let isCounted = false;
    query.then = ((onFulfilled, onRejected) => {
      if (!isCounted) {
        isCounted = true;
        inFlight.count++;
        const settle = () => {
          inFlight.count--;
        };
        void then(settle, settle);
      }
      return then(onFulfilled, onRejected);
    }) as typeof query.then;
    return query;
  }) as typeof client.unsafe;
  const begin = transactions.begin.bind(transactions) as (...args: unknown[]) => Promise<unknown>;
  client.begin = ((...args: unknown[]) => {
    inFlight.count++;
    return begin(...inScope(args, prepare)).finally(() => {
      inFlight.count--;
    });
  }) as typeof client.begin;
}

/**
 * drizzle asks for unnamed statements unless a query is prepared by name, which makes
 * PostgreSQL parse and plan every query again and costs a second round trip for the parameter
 * types. Named statements are parsed once per connection. Returns the wrapped `unsafe` it puts
 * in place on `sql`.
 */
function preparing<S extends postgres.Sql | postgres.TransactionSql>(
  sql: S,
  prepare: boolean,
): S['unsafe'] {
  const unsafe = sql.unsafe.bind(sql);
  const prepared = ((...[text, parameters, options]: Parameters<typeof unsafe>) =>
    unsafe(text, parameters, { ...options, prepare })) as S['unsafe'];
  sql.unsafe = prepared;
  return prepared;
}

/**
 * The arguments of `begin` or `savepoint`, whose last is the callback that gets the
 * transaction's own client: its statements (and those of its savepoints) are named too.
 */
function inScope(args: unknown[], prepare: boolean): unknown[] {
  const fn = args.at(-1) as (sql: postgres.TransactionSql) => unknown;
  return [
    ...args.slice(0, -1),
    (sql: postgres.TransactionSql) => {
      preparing(sql, prepare);
      const savepoint = sql.savepoint.bind(sql) as (...inner: unknown[]) => Promise<unknown>;
      sql.savepoint = ((...inner: unknown[]) =>
        savepoint(...inScope(inner, prepare))) as typeof sql.savepoint;
      return fn(sql);
    },
  ];
}

/** host:port/database, never the password. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}
