// `npm test`: every test, in two phases that keep both cores busy.
//   1. Unit and integration tests (Vitest): CPU-bound, two files at a time.
//   2. The browser tests (Playwright) and, beside them, the suites of server processes (Vitest's
//      cluster, fault and quick-bench projects), which mostly wait for processes to start, die
//      and reconnect. The browser tests print as they go; the process suites' report follows
//      when they finish.
// Each part can run alone: `npx vitest run --project <name>`, `npx playwright test`.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => resolve(root, 'node_modules', '.bin', name);
const children = new Set();

/** Runs a command; `quiet` keeps its output until it ends. Resolves with its exit code. */
function run(command, args, { quiet = false } = {}) {
  return new Promise((resolveCode) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    children.add(child);
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.once('error', (error) => {
      output.push(Buffer.from(`${command}: ${error.message}\n`));
    });
    child.once('close', (code, signal) => {
      children.delete(child);
      if (quiet) process.stdout.write(Buffer.concat(output));
      resolveCode(code ?? (signal ? 1 : 0));
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(130);
  });
}

const projects = (names) => names.flatMap((name) => ['--project', name]);

const prepared = await run(process.execPath, [resolve(root, 'scripts/prepare-tests.mjs')]);
if (prepared !== 0) process.exit(prepared);

const first = await run(bin('vitest'), ['run', ...projects(['unit', 'pglite', 'postgres'])]);

const [browser, processes] = await Promise.all([
  run(bin('playwright'), ['test']),
  run(bin('vitest'), ['run', ...projects(['cluster', 'faults', 'bench'])], { quiet: true }),
]);

const failed = [
  ...(first !== 0 ? ['unit and integration (Vitest)'] : []),
  ...(browser !== 0 ? ['browser (Playwright)'] : []),
  ...(processes !== 0 ? ['cluster, faults and bench (Vitest)'] : []),
];
if (failed.length > 0) {
  console.error(`\nFailed: ${failed.join('; ')}.`);
  process.exit(1);
}
console.log('\nEvery test passed.');
