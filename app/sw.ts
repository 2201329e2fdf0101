/// <reference lib="webworker" />
// The service worker (built by `serwist build` into public/sw.js after `next build`).
// It precaches the app shell, so that Parley opens without a network: static pages (/chats,
// /sign-in, /sign-up) and every hashed asset. The API and Socket.IO always go to the
// network and are never cached; nor is any request that changes state.

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
    { matcher: ({ request }) => request.mode === 'navigate', handler: new NetworkOnly() },
  ],
  // Any other page asked for offline opens the app shell.
  fallbacks: {
    entries: [{ url: '/chats', matcher: ({ request }) => request.destination === 'document' }],
  },
});

serwist.addEventListeners();

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
