// Every installed copy of the packages that face the network must be at or above the release
// that fixed its last known advisory. `npm audit` needs the registry's audit service; this
// check works offline and fails the suite if a lockfile change pulls in an older copy.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/paths';

/** Package → the first version with every published security fix (and why). */
const MINIMUM_VERSIONS: Record<string, { version: string; advisory: string }> = {
  next: {
    version: '16.0.10',
    advisory: 'React Server Components and middleware advisories of 2025',
  },
  'socket.io': { version: '4.6.2', advisory: 'CVE-2024-38355, unhandled error event' },
  'engine.io': { version: '6.4.2', advisory: 'CVE-2023-31125, crash on a crafted request' },
  ws: { version: '8.17.1', advisory: 'CVE-2024-37890, crash on many HTTP headers' },
  'socket.io-parser': { version: '4.2.3', advisory: 'CVE-2023-32695, crash on a crafted packet' },
  'engine.io-parser': {
    version: '5.0.4',
    advisory: 'GHSA-r7qp-cfhv-p84w, crash on a crafted payload',
  },
  cookie: { version: '0.7.0', advisory: 'CVE-2024-47764, out-of-bounds cookie names' },
};

function compare(a: string, b: string): number {
  const parse = (version: string) => version.split('-')[0]!.split('.').map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Every installed copy of `name`, nested ones included. */
function installedVersions(name: string): { path: string; version: string }[] {
  const found: { path: string; version: string }[] = [];
  const visit = (modules: string) => {
    const manifest = join(modules, name, 'package.json');
    if (existsSync(manifest)) {
      found.push({
        path: manifest,
        version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version,
      });
    }
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const packages = entry.name.startsWith('@')
        ? readdirSync(join(modules, entry.name)).map((inner) => join(modules, entry.name, inner))
        : [join(modules, entry.name)];
      for (const packageDir of packages) {
        const nested = join(packageDir, 'node_modules');
        if (existsSync(nested)) visit(nested);
      }
    }
  };
  visit(join(PROJECT_ROOT, 'node_modules'));
  return found;
}

describe('dependencies that face the network', () => {
  for (const [name, minimum] of Object.entries(MINIMUM_VERSIONS)) {
    it(`${name} is at ${minimum.version} or later everywhere (${minimum.advisory})`, () => {
      const copies = installedVersions(name);
      expect(copies.length, `${name} is not installed`).toBeGreaterThan(0);
      const old = copies.filter((copy) => compare(copy.version, minimum.version) < 0);
      expect(old, `old copies of ${name}`).toEqual([]);
    });
  }
});
