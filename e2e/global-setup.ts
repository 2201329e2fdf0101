// The specs start the real server, which serves the Next.js build, each on a copy of the
// migrated PGlite folder (creating a cluster costs seconds of CPU; copying one does not).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ensurePgliteTemplate } from '../test/helpers/pglite-template';

export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/ensure-build.mjs')], {
    stdio: 'inherit',
  });
  await ensurePgliteTemplate();
}
