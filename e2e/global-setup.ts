// The specs start the real server, which serves the Next.js build.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function globalSetup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/ensure-build.mjs')], {
    stdio: 'inherit',
  });
}
