// `npm run admin` as a person types it: the script of package.json, which builds the compiled
// command line when its sources changed and runs it. (What it does to a database is in
// test/integration/admin.test.ts.)

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/paths';

/** How `file args` failed: its exit status and what it printed to stderr (null if it did not). */
function failureOf(file: string, args: string[]): Promise<{ code: number; stderr: string } | null> {
  return promisify(execFile)(file, args, { cwd: PROJECT_ROOT }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
}

describe('npm run admin', () => {
  it('answers a command it does not know with its usage, and exit status 2', async () => {
    const failed = await failureOf('npm', ['run', '--silent', 'admin', '--', 'promote', 'alice']);
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain(
      'Usage: npm run admin -- grant <username> | revoke <username> | list',
    );
  }, 60_000);

  it('is built by a check of the server build alone, which refuses a name it does not know', async () => {
    const failed = await failureOf(process.execPath, ['scripts/ensure-build.mjs', 'sever']);
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('No build named sever. Builds: app, server.');
  });
});
