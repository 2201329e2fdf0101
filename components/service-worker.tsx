'use client';
// Registers the service worker that lets Parley open offline (production builds only: in
// development the worker is not built and would serve stale files).

import { useEffect } from 'react';

export function ServiceWorker() {
  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => {
      // Without it the app still works online; it just cannot open offline.
    });
  }, []);
  return null;
}
