// What the benchmark runs against: Parley (one node, or two behind Redis) on a database of its
// own, and the bare Socket.IO relay. Each is a real process started the way `npm start` does.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import postgres from 'postgres';
import { openDatabase, writeSettings, type DatabaseHandle } from '../db';
import type { Settings } from '../protocol';
import { GENEROUS_LIMITS } from '../test/helpers/rate-limits';
import { compiledScript } from './compiled';
import { startRedis, type TestRedis } from '../test/helpers/redis-server';
import { makeTempDir, PROJECT_ROOT } from '../test/helpers/paths';
import { startProcessServer, type ProcessServer } from '../test/helpers/process-server';

export const BENCH_POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  url: string;
  /** The orchestrator's own connection: seeding, and reading what was stored. */
  handle: DatabaseHandle;
  version: string;
  drop(): Promise<void>;
}

/** A new, empty database on the PostgreSQL server, dropped at the end of the run. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  // The time, and a random part: two runs started in the same millisecond get their own.
  const name = `parley_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(BENCH_POSTGRES_URL, { max: 1, onnotice: () => {} });
  let version: string;
  try {
    await admin.unsafe(`create database ${name}`);
    version = ((await admin`select version() as version`)[0]?.version as string) ?? 'unknown';
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${BENCH_POSTGRES_URL}. Start it or set BENCH_DATABASE_URL.`,
      { cause: error },
    );
  } finally {
    await admin.end();
  }
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({
    databaseUrl: url.toString(),
    dataDir: makeTempDir(),
    poolSize: 4,
  });
  return {
    url: url.toString(),
    handle,
    version,
    drop: async () => {
      await handle.close();
      const cleanup = postgres(BENCH_POSTGRES_URL, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export interface Target {
  name: string;
  kind: 'parley' | 'relay';
  /** Where clients connect, one URL per node. */
  urls: string[];
  /** The server processes, for CPU and memory. */
  pids(): number[];
  stop(): Promise<void>;
}

export interface ParleyTarget extends Target {
  kind: 'parley';
  nodes: ProcessServer[];
}

/**
 * Parley on the bench database: one node, or `nodes` nodes sharing a throwaway Redis.
 * `settings` override the generous limits (a scenario that measures a limit keeps it).
 */
export async function startParley(
  database: BenchDatabase,
  nodes = 1,
  settings: Partial<Settings> = {},
): Promise<ParleyTarget> {
  // The benchmark measures Parley, not its rate limits: thousands of sockets per address and
  // senders far faster than people. Raised through the settings, as an admin would, before the
  // nodes start (they read the settings at start).
  await writeSettings(database.handle.db, { ...GENEROUS_LIMITS, ...settings });
  let redis: TestRedis | undefined;
  if (nodes > 1) redis = await startRedis();
  const servers: ProcessServer[] = [];
  try {
    for (let index = 0; index < nodes; index++) {
      servers.push(
        await startProcessServer({
          databaseUrl: database.url,
          // e.g. --cpu-prof --cpu-prof-dir=/tmp/profiles, to see where a node spends its time.
          nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
          env: {
            NODE_ID: `bench-${index + 1}`,
            ...(redis ? { REDIS_URL: redis.url } : {}),
          },
        }),
      );
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
    throw error;
  }
  return {
    name: nodes === 1 ? 'Parley, 1 node' : `Parley, ${nodes} nodes + Redis`,
    kind: 'parley',
    nodes: servers,
    urls: servers.map((server) => server.url),
    pids: () => servers.map((server) => server.process.pid ?? 0),
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await redis?.stop();
    },
  };
}

/** The bare Socket.IO relay (bench/relay-server.ts) on a free port. */
export async function startRelay(): Promise<Target> {
  const relay = compiledScript('bench/relay-server.ts');
  const child = spawn(process.execPath, ['--enable-source-maps', relay], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /"port":(\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the relay exited with code ${code}`)));
  });
  return {
    name: 'Bare Socket.IO relay',
    kind: 'relay',
    urls: [`http://127.0.0.1:${port}`],
    pids: () => [child.pid ?? 0],
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
