// A throwaway PostgreSQL cluster of the test's own (initdb + pg_ctl on a free port), so that a
// test can stop and restart the database without touching anyone else's.

import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export interface PostgresCluster {
  url: string;
  port: number;
  /** Stops the server abruptly (like a crash: no checkpoint), then starts it again. */
  crashAndRestart(): Promise<void>;
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  destroy(): void;
}

/** initdb and pg_ctl of the newest installed PostgreSQL (override with PG_BIN). */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('No PostgreSQL installation found; set PG_BIN to its bin folder.');
  return `/usr/lib/postgresql/${newest}/bin`;
}

/** PostgreSQL refuses to run as root: as root, run its tools as the postgres user. */
function run(tool: string, args: string[]): void {
  const path = join(binDir(), tool);
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', path, ...args]]
    : [path, args];
  execFileSync(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const root = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const dataDir = join(root, 'data');
  const port = await freePort();
  if (process.getuid?.() === 0) {
    const owner = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const group = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, owner, group);
  }
  chmodSync(root, 0o700);
  run('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-instructions',
    '-E',
    'UTF8',
  ]);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root} -c fsync=on`;
  const start = () =>
    run('pg_ctl', [
      '-D',
      dataDir,
      '-o',
      options,
      '-w',
      '-t',
      '60',
      '-l',
      join(root, 'log'),
      'start',
    ]);
  const stop = (mode: 'fast' | 'immediate' = 'fast') =>
    run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    crashAndRestart: async () => {
      stop('immediate');
      start();
    },
    stop,
    start,
    destroy: () => {
      try {
        stop('immediate');
      } catch {
        // Already stopped.
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
