/// <reference lib="webworker" />
// The service worker (built by `serwist build` into public/sw.js after `next build`).
// It precaches the app shell, so that Parley opens without a network: static pages (/chats,
// /sign-in, /sign-up) and every hashed asset. The API and Socket.IO always go to the
// network and are never cached; nor is any request that changes state.

import { NetworkOnly, Serwist, type PrecacheEntry, type SerwistGlobalConfig } from 'serwist';

declare global {
  interface WorkerGlobalScope extends SerwistGlobalConfig {
    __SW_MANIFEST: (PrecacheEntry | string)[] | undefined;
  }
}

declare const self: ServiceWorkerGlobalScope;

const serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  precacheOptions: {
    cleanupOutdatedCaches: true,
    // /chats?c=<conversation> is one static page whatever the conversation.
    ignoreURLParametersMatching: [/^c$/],
  },
  // A new version takes over at once and drops the old caches.
  skipWaiting: true,
  clientsClaim: true,
  runtimeCaching: [
    {
      matcher: ({ url, sameOrigin }) => sameOrigin && /^\/(api|socket\.io)\//.test(url.pathname),
      handler: new NetworkOnly(),
    },
    { matcher: ({ request }) => request.mode === 'navigate', handler: new NetworkOnly() },
  ],
  // Any other page asked for offline opens the app shell.
  fallbacks: {
    entries: [{ url: '/chats', matcher: ({ request }) => request.destination === 'document' }],
  },
});

serwist.addEventListeners();
