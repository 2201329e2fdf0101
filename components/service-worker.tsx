'use client';
// Registers the service worker that lets Parley open offline and receive push notifications
// (production builds only: in development the worker is not built). When a new version of the
// worker takes over an open page, offers a reload: the page still runs the old code.

import { useEffect, useState } from 'react';
import controls from './controls.module.css';
import styles from './service-worker.module.css';

export function ServiceWorker() {
  const [isUpdated, setIsUpdated] = useState(false);

  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return;
    const hadController = navigator.serviceWorker.controller !== null;
    const onControllerChange = () => {
      // The first worker taking over a fresh page is no update.
      if (hadController) setIsUpdated(true);
    };
    navigator.serviceWorker.addEventListener('controllerchange', onControllerChange);
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => {
      // Without it the app still works online; it just cannot open offline.
    });
    return () =>
      navigator.serviceWorker.removeEventListener('controllerchange', onControllerChange);
  }, []);

  if (!isUpdated) return null;
  return (
    <div className={styles.banner} role="status">
      <span>A new version of Parley is ready.</span>
      <button
        type="button"
        className={controls.primaryButton}
        onClick={() => window.location.reload()}
      >
        Reload
      </button>
    </div>
  );
}
