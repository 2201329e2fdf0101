// Starts the real Parley server as a child process on a free port, the way `npm start` does,
// and reads its structured log to know when it listens. Only the suites that must kill or
// signal a process use this (faults, cluster, the browser tests and the benchmark); the
// integration suite builds the server in-process (./server.ts).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { makeTempDir, PROJECT_ROOT } from './paths';

/** What `npm start` runs: the compiled server (scripts/build-server.mjs). */
const SERVER_BUNDLE = 'dist/main.js';
/** What `npm run admin` runs, compiled beside it. */
const ADMIN_CLI = 'dist/admin.js';

/**
 * Runs the admin command line as `npm run admin` does, against the database `env` names
 * (DATABASE_URL or DATA_DIR); resolves with what it printed. Asynchronous, so that a test's
 * HTTP client goes on noticing what its servers do meanwhile.
 */
export async function runAdminCli(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [ADMIN_CLI, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
  });
  return stdout;
}

/**
 * `npm start` maps stack traces to the TypeScript sources (--enable-source-maps), which makes
 * Node read and parse the source map of every module it loads, Next.js's runtime among them:
 * half a second of CPU at every start (2.55 s instead of 2.05 s on PostgreSQL), and the suite
 * starts dozens of servers. Theirs point into dist/main.js instead, an unminified bundle whose
 * names are the sources'; PARLEY_TEST_SOURCE_MAPS=1 maps them again.
 */
const SOURCE_MAPS = process.env.PARLEY_TEST_SOURCE_MAPS === '1' ? ['--enable-source-maps'] : [];

export interface ProcessServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** The first log line, past or future, that matches. */
  waitForLog(
    matches: (entry: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for exit: a crash. */
  kill(): Promise<void>;
}

export interface ProcessServerOptions {
  /** PostgreSQL URL; PGlite in dataDir when absent. */
  databaseUrl?: string;
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
  /** Extra flags for node itself, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export async function startProcessServer(
  options: ProcessServerOptions = {},
): Promise<ProcessServer> {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    LOG_LEVEL: 'info',
    DATA_DIR: options.dataDir ?? makeTempDir(),
    DATABASE_URL: options.databaseUrl ?? '',
    ...options.env,
  } as NodeJS.ProcessEnv;
  if (!existsSync(join(PROJECT_ROOT, SERVER_BUNDLE))) {
    throw new Error(`${SERVER_BUNDLE} is missing: build it first (node scripts/ensure-build.mjs).`);
  }
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...SOURCE_MAPS, SERVER_BUNDLE],
    {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  const logWatchers = new Set<(entry: Record<string, unknown>) => void>();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  let isListening = false;
  const listening = new Promise<{ url: string; port: number }>((resolveListen, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // Next prints a few plain lines of its own.
      }
      logs.push(entry);
      for (const watch of logWatchers) watch(entry);
      if (entry.event === 'server.listening') {
        isListening = true;
        resolveListen({
          url: `http://127.0.0.1:${entry.port as number}`,
          port: entry.port as number,
        });
      }
    });
    child.once('exit', (code) => {
      // Only an exit before listening is an error here; after a long run the logs are too many
      // to put in one string.
      if (isListening) return;
      reject(
        new Error(
          `server exited with code ${code} before listening\n${stderr}\n${logs.map((entry) => JSON.stringify(entry)).join('\n')}`,
        ),
      );
    });
  });

  const { url, port } = await listening;
  return {
    url,
    port,
    process: child,
    logs,
    waitForLog: (matches, timeoutMs = 10_000) => {
      const found = logs.find(matches);
      if (found) return Promise.resolve(found);
      return new Promise((resolveLog, reject) => {
        const timer = setTimeout(() => {
          logWatchers.delete(watch);
          reject(new Error('the expected log line did not come'));
        }, timeoutMs);
        const watch = (entry: Record<string, unknown>) => {
          if (!matches(entry)) return;
          clearTimeout(timer);
          logWatchers.delete(watch);
          resolveLog(entry);
        };
        logWatchers.add(watch);
      });
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
