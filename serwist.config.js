// @ts-check
// Builds the service worker after `next build` (Serwist's configurator mode): precaches the
// prerendered pages and the hashed assets of this build.
import { serwist } from '@serwist/next/config';

export default serwist({
  swSrc: 'app/sw.ts',
  swDest: 'public/sw.js',
});
