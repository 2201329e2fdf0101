// Throwaway folders of the tests (test/helpers/paths.ts): in memory where the machine has it, and
// gone once the file that made them is done: a run once left 800 MB of PGlite copies behind.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, SCRATCH_ROOT } from '../helpers/paths';

describe('test folders', () => {
  it('are made under the scratch root, in memory when /dev/shm can be written', () => {
    const dir = makeTempDir();
    expect(dir.startsWith(`${SCRATCH_ROOT}/parley-test-`)).toBe(true);
    if (!process.env.PARLEY_TEST_TMPDIR && existsSync('/dev/shm'))
      expect(SCRATCH_ROOT).toBe('/dev/shm');
  });

  it('are removed, with what is in them, when the file is done with them', () => {
    const dirs = [makeTempDir(), makeTempDir('parley-push-')];
    writeFileSync(join(dirs[0]!, 'data'), 'x');
    removeTempDirs();
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });
});
