/// <reference lib="webworker" />
// The service worker (built by scripts/build-service-worker.mjs into public/sw.js after
// `next build`). It precaches the app shell, so that Parley opens without a network: the pages
// /chats, /sign-in and /sign-up (listed in that script) and every hashed asset. Pages are taken from
// the network whenever it answers, since each carries a fresh CSP nonce; the kept copies are
// for when it does not. The API and Socket.IO always go to the network and are never cached;
// nor is any request that changes state.

import { NetworkOnly, Serwist, type PrecacheEntry, type SerwistGlobalConfig } from 'serwist';
import type { PushPayload } from '../protocol/types';

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
  ],
});

/** The pages kept for offline use; any other page asked for offline opens /chats. */
const SHELL_PAGES = new Set(['/chats', '/sign-in', '/sign-up']);
/** A network that is there but does not answer (“lie-fi”) gets the kept page after this. */
const NAVIGATION_TIMEOUT_MS = 5_000;

// Page loads: the network first, so that every page shown online has a nonce of its own (a
// kept copy reuses the one it was fetched with). Registered before Serwist's listener, whose
// precache route would answer the shell's pages from the cache first.
self.addEventListener('fetch', (event) => {
  if (event.request.mode !== 'navigate') return;
  event.stopImmediatePropagation();
  event.respondWith(navigate(event.request));
});

serwist.addEventListeners();

async function navigate(request: Request): Promise<Response> {
  const network = fetch(request);
  network.catch(() => undefined); // Answered from the cache below; nobody waits for it.
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const first = await Promise.race([
      network,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), NAVIGATION_TIMEOUT_MS);
      }),
    ]);
    if (first !== 'timeout') return first;
  } catch {
    // Offline: the kept copy.
  } finally {
    clearTimeout(timer);
  }
  const { pathname } = new URL(request.url);
  const kept = await serwist.matchPrecache(SHELL_PAGES.has(pathname) ? pathname : '/chats');
  // Nothing kept (yet): the network's answer, or its error, after all.
  return kept ?? network;
}

// A message for someone with no device connected: show it. One notification per conversation
// (the tag), so a burst replaces rather than piles up.
self.addEventListener('push', (event) => {
  let payload: PushPayload;
  try {
    payload = event.data?.json() as PushPayload;
  } catch {
    return;
  }
  if (!payload?.conversationId) return;
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      tag: payload.conversationId,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: `/chats?c=${encodeURIComponent(payload.conversationId)}` },
    }),
  );
});

// Clicking a notification opens its conversation, in a Parley window if one is open.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(
    (event.notification.data as { url?: string })?.url ?? '/chats',
    self.location.origin,
  );
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === url.origin);
      if (open) {
        await open.focus();
        await open.navigate(url.href).catch(() => undefined);
        return;
      }
      await self.clients.openWindow(url.href);
    })(),
  );
});
