// Before the suites: the Next.js build (pages in the integration suite, the server processes of
// the others) and the migrated PGlite folder that test databases are copied from.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ensurePgliteTemplate } from './helpers/pglite-template';

export default async function setup(): Promise<void> {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/ensure-build.mjs')], {
    stdio: 'inherit',
  });
  await ensurePgliteTemplate();
}
