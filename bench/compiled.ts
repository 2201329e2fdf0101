// The benchmark's own processes (the load generator's workers, the bare relay) run compiled
// JavaScript rather than TypeScript through tsx: tsx took about a second of CPU to start each,
// and a quick run starts over twenty. Each script is bundled once per run with esbuild (its
// packages stay imports) into node_modules/.cache, under a name made of its content, so runs
// side by side share it and no run starts an old copy.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from '../test/helpers/paths';

const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'parley-bench');

const compiled = new Map<string, string>();

/** The path of `entry` (a TypeScript file of the project) compiled to one ES module. */
export function compiledScript(entry: string): string {
  const known = compiled.get(entry);
  if (known) return known;
  const { outputFiles } = buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    write: false,
    logLevel: 'warning',
  });
  const code = outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const path = join(CACHE_DIR, `${basename(entry, '.ts')}-${hash}.mjs`);
  if (!existsSync(path)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside, then renamed: a run beside this one never starts half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, path);
  }
  compiled.set(entry, path);
  return path;
}
