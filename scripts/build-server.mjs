// Compiles the server (server/main.ts and everything it imports from server/, db/ and
// protocol/) into one ES module, dist/main.js, with a source map; packages stay imports of
// node_modules. `npm start` runs it with plain Node, which starts faster than compiling
// TypeScript at every start (tsx). The SQL migrations are copied beside it: db/client.ts
// looks for them next to its own code, which in the bundle is dist/.

import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['server/main.ts'],
  outfile: join(dist, 'main.js'),
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
cpSync(join(root, 'db', 'migrations'), join(dist, 'migrations'), { recursive: true });
