// Every installed copy of the packages that face the network must be at or above the release
// that fixed its last known advisory. `npm audit` needs the registry's audit service; this
// check works offline and fails the suite if a lockfile change pulls in an older copy.
// And every package of the lockfile runs on the oldest Node.js the README promises, so that
// `npm install` there gives no EBADENGINE warning.

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

/** A version written in a range, with its missing or wildcard parts left out: `20`, `22.13`. */
function partialVersion(text: string): number[] {
  const parts: number[] = [];
  for (const part of text.replace(/^v/, '').split('-')[0]!.split('.')) {
    if (part === '' || part === 'x' || part === 'X' || part === '*') break;
    parts.push(Number(part));
  }
  return parts;
}

/** The version just above everything `parts` covers: 20 → 21.0.0, 22.13 → 22.14.0. */
function nextAfter(parts: number[]): number[] {
  const next = parts.slice(0, Math.max(parts.length, 1));
  next[next.length - 1] = (next[next.length - 1] ?? 0) + 1;
  return next;
}

/** Whether `version` matches one comparator of an npm range (`>=20.9.0`, `^22.13`, `18`, `*`). */
function matchesComparator(version: string, comparator: string): boolean {
  const [, operator = '', rest = ''] = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(comparator)!;
  const parts = partialVersion(rest);
  if (parts.length === 0) return operator === '' || operator === '>=' || operator === '=';
  const lower = parts.join('.');
  const above = (bound: number[]) => compare(version, bound.join('.')) < 0;
  switch (operator) {
    case '>=':
      return compare(version, lower) >= 0;
    case '>':
      return parts.length < 3 ? !above(nextAfter(parts)) : compare(version, lower) > 0;
    case '<':
      return compare(version, lower) < 0;
    case '<=':
      return above(nextAfter(parts));
    case '^': {
      // The leftmost non-zero part may not change (or the last given one, when all are 0).
      const fixed = parts.findIndex((part) => part !== 0);
      const keep = fixed === -1 ? parts.length : fixed + 1;
      return compare(version, lower) >= 0 && above(nextAfter(parts.slice(0, keep)));
    }
    case '~':
      return compare(version, lower) >= 0 && above(nextAfter(parts.slice(0, 2)));
    default:
      return compare(version, lower) >= 0 && above(nextAfter(parts));
  }
}

/** Whether `version` satisfies an npm range such as `^18.18.0 || ^20.9.0 || >=21.1.0`. */
function satisfiesRange(version: string, range: string): boolean {
  return range.split('||').some((alternative) => {
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alternative);
    const comparators = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : alternative
          .trim()
          .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
          .split(/\s+/)
          .filter(Boolean);
    return comparators.every((comparator) => matchesComparator(version, comparator));
  });
}

describe('the Node.js version the README promises', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const promised = /Requires Node\.js (\d+\.\d+(?:\.\d+)?) or newer/.exec(readme)?.[1];
  const oldest = promised?.split('.').length === 2 ? `${promised}.0` : promised;

  it('reads the ranges of package.json engines the way npm does', () => {
    expect(satisfiesRange('20.19.0', '^18.18.0 || ^20.9.0 || >=21.1.0')).toBe(true);
    expect(satisfiesRange('20.19.0', '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
    expect(satisfiesRange('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfiesRange('20.19.0', '>= 10.x')).toBe(true);
    expect(satisfiesRange('20.19.0', '*')).toBe(true);
    expect(satisfiesRange('20.19.0', '>=22')).toBe(false);
    expect(satisfiesRange('20.19.0', '^22.20 || ^24.12 || >=25')).toBe(false);
    expect(satisfiesRange('20.19.0', '^20.9.0')).toBe(true);
    expect(satisfiesRange('21.0.0', '^20.9.0')).toBe(false);
    expect(satisfiesRange('20.19.0', '>=16 || 14 >=14.17')).toBe(true);
    expect(satisfiesRange('14.16.0', '>=16 || 14 >=14.17')).toBe(false);
    expect(satisfiesRange('0.5.0', '^0.4.1')).toBe(false);
    expect(satisfiesRange('20.19.0', '20.10.0 - 20.20')).toBe(true);
  });

  it('is stated in the README and is what package.json requires', () => {
    expect(oldest, 'README: "Requires Node.js <version> or newer."').toBeDefined();
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(manifest.engines.node).toBe(`>=${promised}`);
  });

  it('runs every package that npm installs (no EBADENGINE warning)', () => {
    const lockfile = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string }; optional?: boolean }>;
    };
    // npm skips an optional package whose engines exclude the running Node.js, without a warning.
    const refused = Object.entries(lockfile.packages)
      .filter(([path, entry]) => path !== '' && !entry.optional && entry.engines?.node)
      .filter(([, entry]) => !satisfiesRange(oldest!, entry.engines!.node!))
      .map(([path, entry]) => `${path} needs node ${entry.engines!.node}`);
    expect(refused).toEqual([]);
  });
});
