// Builds the app (Next.js, then the service worker) when there is no build yet or a source
// file changed since the last one, so that `npm start` works straight after `npm install`.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const BUILD_ID = join(root, '.next', 'BUILD_ID');
const SERVICE_WORKER = join(root, 'public', 'sw.js');
const SOURCES = [
  'app',
  'components',
  'hooks',
  'protocol',
  'proxy.ts',
  // Bundled into proxy.ts by Next.
  'server/http/csp.ts',
  'public/icons',
  'next.config.js',
  'serwist.config.js',
  'package-lock.json',
  'tsconfig.json',
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

// Both outputs must exist: a build interrupted between the two steps left no worker.
const builtAt = existsSync(BUILD_ID) && existsSync(SERVICE_WORKER) ? statSync(BUILD_ID).mtimeMs : 0;
const changedAt = Math.max(...SOURCES.map((source) => newestMtime(join(root, source))));

if (builtAt > changedAt) process.exit(0);
console.log(
  builtAt ? 'Sources changed since the last build: rebuilding.' : 'No build yet: building.',
);
const result = spawnSync('npm', ['run', 'build'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
process.exit(result.status ?? 1);
