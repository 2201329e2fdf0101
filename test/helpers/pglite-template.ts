// A PGlite folder made and migrated once, then copied for every test database that needs one:
// creating a PGlite cluster costs seconds of CPU, copying its files a fraction of one. The
// folder's name carries a hash of the migrations, of PGlite's version and of the settings below,
// so a change to any makes a new template; a copy then only checks that its migrations are
// applied.

import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openDatabase } from '../../db';
import { PROJECT_ROOT, SCRATCH_ROOT } from './paths';

/**
 * What a test database's PostgreSQL is told beyond PGlite's defaults. A test database holds a few
 * hundred rows, and PostgreSQL sets up its whole buffer pool at every start: 16 MB instead of
 * 128 MB took a third off the CPU of opening a copy.
 */
const TEST_SETTINGS = 'shared_buffers = 16MB\n';

function templatePath(): string {
  const hash = createHash('sha256');
  hash.update(TEST_SETTINGS);
  const pglite = join(PROJECT_ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  hash.update(readFileSync(pglite));
  const migrations = join(PROJECT_ROOT, 'db', 'migrations');
  for (const entry of readdirSync(migrations, { recursive: true, encoding: 'utf8' }).sort()) {
    if (entry.endsWith('.sql') || entry.endsWith('.json')) {
      hash.update(entry).update(readFileSync(join(migrations, entry)));
    }
  }
  return join(SCRATCH_ROOT, `parley-pglite-template-${hash.digest('hex').slice(0, 16)}`);
}

/** Makes the template unless it exists. Run once per test run, before the suites (global setup). */
export async function ensurePgliteTemplate(): Promise<void> {
  const path = templatePath();
  removeOtherTemplates(path);
  if (existsSync(path)) return;
  const building = `${path}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const handle = await openDatabase({ dataDir: building });
  await handle.close();
  appendFileSync(join(building, 'pglite', 'postgresql.conf'), TEST_SETTINGS);
  try {
    renameSync(building, path); // whole or not at all
  } catch {
    rmSync(building, { recursive: true, force: true }); // another run made it meanwhile
  }
}

/**
 * Templates of earlier migrations, settings or PGlite versions are 40 MB each, in memory when the
 * scratch folder is /dev/shm: only the current one is kept. (A run of other code at the same
 * time would find its template gone, and make each of its test databases from scratch.)
 */
function removeOtherTemplates(current: string): void {
  const name = basename(current);
  for (const entry of readdirSync(dirname(current))) {
    if (/^parley-pglite-template-[0-9a-f]{16}$/.test(entry) && entry !== name) {
      rmSync(join(dirname(current), entry), { recursive: true, force: true });
    }
  }
}

/** Fills the empty folder `dataDir` with a copy of the template; false when there is none. */
export function copyPgliteTemplate(dataDir: string): boolean {
  const path = templatePath();
  if (!existsSync(path)) return false;
  cpSync(path, dataDir, { recursive: true });
  return true;
}
