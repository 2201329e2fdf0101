// Runs before `npm test`: makes sure Chromium and its headless shell (for the browser tests;
// Playwright cannot download its own browser here) and nginx (the cluster tests' load
// balancer) are installed, from Debian's packages, and that the build is current.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const headlessShell = process.env.HEADLESS_SHELL_PATH ?? '/usr/bin/chromium-headless-shell';
const nginx = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const missing = [
  ...(existsSync(chromium) ? [] : ['chromium']),
  ...(existsSync(headlessShell) ? [] : ['chromium-headless-shell']),
  ...(existsSync(nginx) ? [] : ['nginx']),
];

if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(
      `The tests need ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed.\n` +
        `Install with:  sudo apt-get install -y ${missing.join(' ')}\n` +
        '(or point CHROMIUM_PATH / HEADLESS_SHELL_PATH / NGINX_PATH at the binaries).',
    );
    process.exit(1);
  }
  console.log(`Installing ${missing.join(' and ')} with apt-get.`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

execFileSync(process.execPath, [resolve(import.meta.dirname, 'ensure-build.mjs')], {
  stdio: 'inherit',
});
