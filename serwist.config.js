// @ts-check
// Builds the service worker after `next build` (Serwist's configurator mode): precaches the
// hashed assets of this build and the app shell's pages. The pages are rendered per request
// (each carries its own CSP nonce), so there are no prerendered files to find: they are listed
// here, with the build's id as their revision, and fetched from the server when the worker
// installs.
import { readFileSync } from 'node:fs';
import { serwist } from '@serwist/next/config';

const buildId = readFileSync('.next/BUILD_ID', 'utf8').trim();

export default serwist({
  swSrc: 'app/sw.ts',
  swDest: 'public/sw.js',
  additionalPrecacheEntries: ['/chats', '/sign-in', '/sign-up'].map((url) => ({
    url,
    revision: buildId,
  })),
});
