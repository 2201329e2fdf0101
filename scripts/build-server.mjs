// Compiles the server (server/main.ts and everything it imports from server/, db/ and
// protocol/) into one ES module, dist/main.js, with a source map; packages stay imports of
// node_modules. `npm start` runs it with plain Node, which starts faster than compiling
// TypeScript at every start (tsx). The admin command line (scripts/admin.ts) is compiled the
// same way, into dist/admin.js, for `npm run admin`: through tsx it took 2 s of CPU to list
// the admins of a PostgreSQL database, compiled 0.6 s. The SQL migrations are copied beside
// them: db/client.ts looks for them next to its own code, which in a bundle is dist/.

import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'server/main.ts', admin: 'scripts/admin.ts' },
  outdir: dist,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
cpSync(join(root, 'db', 'migrations'), join(dist, 'migrations'), { recursive: true });
