// Runs a local Parley cluster: N nodes on PostgreSQL and Redis, behind nginx with the
// production proxy rules. Usage: npm run cluster -- --nodes 3 [--port 3000]
// DATABASE_URL (default: the local server's `parley` database, created if missing) and
// REDIS_URL (default redis://127.0.0.1:6379) say where the shared state lives.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { findNginx, startNginx } from './nginx';

const ROOT = resolve(import.meta.dirname, '..');

const { values } = parseArgs({
  options: { nodes: { type: 'string', default: '3' }, port: { type: 'string', default: '3000' } },
});
const nodeCount = Number(values.nodes);
const port = Number(values.port);
if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 32) {
  console.error('--nodes must be a whole number from 1 to 32.');
  process.exit(2);
}
if (!findNginx()) {
  console.error('The cluster runs behind nginx. Install it with: sudo apt-get install -y nginx');
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/parley';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
await createDatabaseIfMissing(databaseUrl);

const build = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const nodes: ChildProcess[] = [];
const upstreams: string[] = [];
for (let index = 1; index <= nodeCount; index++) {
  const nodePort = port + index;
  upstreams.push(`127.0.0.1:${nodePort}`);
  nodes.push(await startNode(index, nodePort));
}
const nginx = await startNginx({ port, upstreams });
console.log(
  `\nParley cluster: ${nginx.url} (nginx) → ${nodeCount} nodes on ports ${port + 1}–${port + nodeCount}\n` +
    `database ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}, Redis ${new URL(redisUrl).host}. Ctrl+C stops everything.\n`,
);

let isStopping = false;
const stop = async () => {
  if (isStopping) return;
  isStopping = true;
  await nginx.stop();
  await Promise.all(
    nodes.map(
      (node) =>
        new Promise<void>((resolveExit) => {
          if (node.exitCode !== null) return resolveExit();
          node.once('exit', () => resolveExit());
          node.kill('SIGTERM');
        }),
    ),
  );
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

function startNode(index: number, nodePort: number): Promise<ChildProcess> {
  // What `npm start` runs: the compiled server (ensure-build above made it).
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(nodePort),
      NODE_ID: `node-${index}`,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      // Behind nginx: client addresses (for per-address limits) come from X-Forwarded-For.
      TRUST_PROXY: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(`[node-${index}] ${line}`);
      if (line.includes('"event":"server.listening"')) resolveStart(child);
    });
    child.once('exit', (code) => reject(new Error(`node-${index} exited with code ${code}`)));
  });
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${name}`;
    if (!row) {
      await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
      console.log(`Created the database ${name}.`);
    }
  } catch (error) {
    console.error(`PostgreSQL is not reachable at ${target.host}: ${(error as Error).message}`);
    process.exit(1);
  } finally {
    await sql.end();
  }
}
