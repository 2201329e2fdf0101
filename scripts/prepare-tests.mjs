// Runs before `npm test`: makes sure Chromium for the browser tests is installed (Debian's
// package; Playwright cannot download its own browser here) and the Next.js build is current.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(chromium)) {
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(
      `Chromium is needed for the browser tests and was not found at ${chromium}.\n` +
        'Install it with:  sudo apt-get install -y chromium\n' +
        '(or point CHROMIUM_PATH at a Chromium or Chrome binary).',
    );
    process.exit(1);
  }
  console.log('Chromium is missing: installing it with apt-get.');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

execFileSync(process.execPath, [resolve(import.meta.dirname, 'ensure-build.mjs')], {
  stdio: 'inherit',
});
