// Parley built in-process for a test file: createParley on port 0, on a real database (PGlite in
// a folder, or a PostgreSQL database), with the configuration read from environment variables
// as the process would read them, and the log as parsed JSON lines in memory. Clients connect
// over real sockets. Suites that must kill a process use ./process-server.ts instead.

import type { Socket } from 'node:net';
import type { Database, DatabaseHandle } from '../../db';
import type { Clock } from '../../server/clock';
import { connectRedis, type RedisLink } from '../../server/cluster/redis';
import { LOWEST_HASH_COST } from '../../server/auth/passwords';
import { loadConfig } from '../../server/config';
import type { Failpoints } from '../../server/failpoints';
import { createLogger } from '../../server/logger';
import { openConfiguredDatabase } from '../../server/open-database';
import { createParley, type PageHandler, type Parley } from '../../server/parley';
import { makeTempDir } from './paths';

export type LogEntry = Record<string, unknown>;

export interface TestServer {
  url: string;
  port: number;
  /** Every log line so far, parsed. */
  logs: LogEntry[];
  /** Every log line so far, as written. */
  logText(): string;
  /** The first log line, past or future, that matches. */
  waitForLog(matches: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  /** The node itself, and the database it runs on, for tests that look inside. */
  parley: Parley;
  database: DatabaseHandle;
  /** Still accepting connections: not stopped, killed or crashed. */
  isListening(): boolean;
  /** What SIGTERM does: drain, close, then close the database and Redis. */
  stop(): Promise<void>;
  /**
   * What a crash does to the clients: every connection is cut at once, nothing is drained or
   * answered. Then the rest is closed, the database too, so that it can be opened again.
   */
  kill(): Promise<void>;
}

export interface ServerOptions {
  /** PostgreSQL URL; PGlite in dataDir when absent. */
  databaseUrl?: string | undefined;
  dataDir?: string;
  port?: number;
  /** Configuration, as the environment variables server/config.ts reads. */
  env?: Record<string, string>;
  failpoints?: Failpoints;
  clock?: Clock;
  /** Next.js's request handler, for the tests of pages (./next-pages.ts). */
  pages?: PageHandler;
  /** Runs on the database after it is opened and migrated, before the server reads it. */
  seed?: (db: Database) => Promise<unknown>;
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    LOG_LEVEL: 'info',
    DATA_DIR: options.dataDir ?? makeTempDir(),
    DATABASE_URL: options.databaseUrl ?? '',
    ...options.env,
  });
  const log = createLogSink();
  const logger = createLogger(config.logLevel, log);
  const database = await openConfiguredDatabase(config, logger);
  let redis: RedisLink | undefined;
  let parley: Parley;
  try {
    await options.seed?.(database.db);
    if (config.redisUrl) redis = await connectRedis(config.redisUrl, logger);
    parley = await createParley({
      database,
      config,
      logger,
      redis,
      failpoints: options.failpoints,
      clock: options.clock,
      pages: options.pages,
      // Thousands of sign-ups: argon2id at its lowest cost. What servers store is checked in
      // test/unit/passwords.test.ts; the process and browser suites run servers as shipped.
      hashCost: LOWEST_HASH_COST,
    });
  } catch (error) {
    await redis?.close();
    await database.close();
    throw error;
  }
  // Every TCP connection, upgraded ones included, so that kill() can cut them all.
  const connections = new Set<Socket>();
  parley.httpServer.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  const { url, port } = await parley.listen(config.port, config.host);
  logger.info(
    { event: 'server.listening', url, port, host: config.host },
    `Parley is listening on ${url}`,
  );

  const closeAll = async () => {
    await parley.close();
    await redis?.close();
    await database.close();
  };
  let ending: Promise<void> | undefined;
  return {
    url,
    port,
    logs: log.entries,
    logText: () => log.lines.join(''),
    waitForLog: log.waitFor,
    parley,
    database,
    isListening: () => parley.httpServer.listening,
    stop: () => (ending ??= closeAll()),
    kill: () =>
      (ending ??= (async () => {
        parley.httpServer.close();
        for (const socket of connections) socket.destroy();
        await closeAll();
      })()),
  };
}

/** Where the logger writes: each JSON line kept as written and parsed. */
function createLogSink() {
  const lines: string[] = [];
  const entries: LogEntry[] = [];
  const watchers = new Set<(entry: LogEntry) => void>();
  const waitFor = (matches: (entry: LogEntry) => boolean, timeoutMs = 10_000) => {
    const found = entries.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise<LogEntry>((resolve, reject) => {
      const timer = setTimeout(() => {
        watchers.delete(watch);
        reject(new Error('the expected log line did not come'));
      }, timeoutMs);
      const watch = (entry: LogEntry) => {
        if (!matches(entry)) return;
        clearTimeout(timer);
        watchers.delete(watch);
        resolve(entry);
      };
      watchers.add(watch);
    });
  };
  return {
    lines,
    entries,
    waitFor,
    write(line: string) {
      lines.push(line);
      const entry = JSON.parse(line) as LogEntry;
      entries.push(entry);
      for (const watch of watchers) watch(entry);
    },
  };
}
