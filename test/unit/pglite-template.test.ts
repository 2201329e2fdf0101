// The migrated PGlite folder that test databases are copied from (test/helpers/pglite-template.ts).

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir } from '../helpers/database';
import { SCRATCH_ROOT } from '../helpers/paths';
import { ensurePgliteTemplate } from '../helpers/pglite-template';

describe('the PGlite template', () => {
  beforeAll(() => ensurePgliteTemplate(), 60_000);

  it('gives test databases a buffer pool of 16 MB, which they start faster with', async () => {
    // The folder layout of db/client.ts: PGlite's files in pglite/ of the data folder.
    const pglite = await PGlite.create(join(makeDataDir(), 'pglite'));
    try {
      const { rows } = await pglite.query<{ shared_buffers: string }>('show shared_buffers');
      expect(rows).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await pglite.close();
    }
  });

  it('is the only one kept: templates of other migrations or settings are removed', async () => {
    const stale = join(SCRATCH_ROOT, 'parley-pglite-template-0123456789abcdef');
    const unrelated = join(SCRATCH_ROOT, 'parley-pglite-template-notes');
    mkdirSync(join(stale, 'pglite'), { recursive: true });
    mkdirSync(unrelated, { recursive: true });
    try {
      await ensurePgliteTemplate();
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(unrelated)).toBe(true);
    } finally {
      rmSync(stale, { recursive: true, force: true });
      rmSync(unrelated, { recursive: true, force: true });
    }
  });
});
