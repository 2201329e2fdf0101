// Builds what `npm start` runs when it is missing or a source file changed since it was built,
// so that `npm start` works straight after `npm install`: the app (Next.js, then the service
// worker) and the compiled server (dist/, scripts/build-server.mjs). Each is rebuilt alone.
// Given names (`server`), it looks at those builds only: the admin command line needs no app.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

const BUILDS = [
  {
    name: 'app',
    script: 'build:app',
    // Both outputs must exist: a build interrupted between the two steps left no worker.
    outputs: ['.next/BUILD_ID', 'public/sw.js', 'public/emojibase/en/data.json'],
    sources: [
      'app',
      'components',
      'hooks',
      'protocol',
      'proxy.ts',
      // Bundled into proxy.ts by Next.
      'server/http/csp.ts',
      'public/icons',
      'next.config.js',
      'scripts/build-service-worker.mjs',
      'scripts/copy-emoji-data.mjs',
      'package-lock.json',
      'tsconfig.json',
    ],
  },
  {
    name: 'server',
    script: 'build:server',
    outputs: ['dist/main.js', 'dist/admin.js'],
    sources: [
      'server',
      'db',
      'protocol',
      'scripts/admin.ts',
      'scripts/build-server.mjs',
      'package-lock.json',
    ],
  },
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BUILDS.some((build) => build.name === name));
if (unknown.length > 0) {
  console.error(
    `No build named ${unknown.join(', ')}. Builds: ${BUILDS.map((build) => build.name).join(', ')}.`,
  );
  process.exit(2);
}

for (const build of BUILDS.filter((each) => wanted.length === 0 || wanted.includes(each.name))) {
  const outputs = build.outputs.map((output) => join(root, output));
  const builtAt = outputs.every(existsSync) ? statSync(outputs[0]).mtimeMs : 0;
  const changedAt = Math.max(...build.sources.map((source) => newestMtime(join(root, source))));
  if (builtAt > changedAt) continue;
  console.log(
    builtAt
      ? `Sources changed since the last ${build.name} build: rebuilding.`
      : `No ${build.name} build yet: building.`,
  );
  const result = spawnSync('npm', ['run', build.script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
