// Builds the service worker, app/sw.ts, into public/sw.js after `next build`, with Serwist's
// build API: the precache manifest (the hashed assets of this build, the files of public/, and
// the app shell's pages) is compiled into the worker where it reads `self.__SW_MANIFEST`.
// The pages are rendered per request (each carries its own CSP nonce), so there are no
// prerendered files to find: they are listed here, with the build's id as their revision,
// and fetched from the server when the worker installs.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getManifest } from '@serwist/build';
import { serwist } from '@serwist/next/config';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
process.chdir(root);
process.env.NODE_ENV ??= 'production';

const buildId = readFileSync(join(root, '.next', 'BUILD_ID'), 'utf8').trim();

// Next's folders and URLs for the manifest (where the hashed assets are, and how each file
// is served), and esbuild's browser targets from the project's browserslist.
const { swSrc, swDest, esbuildOptions, ...manifestOptions } = await serwist({
  swSrc: 'app/sw.ts',
  swDest: 'public/sw.js',
  additionalPrecacheEntries: ['/chats', '/sign-in', '/sign-up'].map((url) => ({
    url,
    revision: buildId,
  })),
});

const { count, size, manifestEntries, warnings } = await getManifest(manifestOptions);
for (const warning of warnings) console.warn(`Service worker: ${warning}`);

await build({
  ...esbuildOptions,
  absWorkingDir: root,
  entryPoints: [swSrc],
  outfile: swDest,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  treeShaking: true,
  minify: true,
  define: {
    'self.__SW_MANIFEST':
      manifestEntries === undefined ? 'undefined' : JSON.stringify(manifestEntries),
  },
  logLevel: 'warning',
});
console.log(
  `The service worker (${swDest}) precaches ${count} URLs, ${Math.round(size / 1024)} KiB.`,
);
