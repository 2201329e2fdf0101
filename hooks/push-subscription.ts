// Notifications on this browser: ask permission, subscribe with the server's VAPID key, and
// register the subscription with the server (or undo all of it).

import type { HttpRequestBody } from '../protocol';
import { callApi } from './api';

export type PushState = 'unsupported' | 'blocked' | 'off' | 'on';

function isSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

export async function getPushState(): Promise<PushState> {
  if (!isSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  return subscription ? 'on' : 'off';
}

export async function enablePush(): Promise<{ ok: true } | { ok: false; message: string }> {
  if (!isSupported()) return { ok: false, message: 'This browser cannot show notifications.' };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    return {
      ok: false,
      message: 'Notifications are blocked for this site in the browser settings.',
    };
  }
  const key = await callApi('pushKey');
  if (!key.ok) return { ok: false, message: key.message };
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(key.publicKey),
  });
  // The browser's own JSON of the subscription; the server checks every field of it.
  const result = await callApi(
    'subscribePush',
    subscription.toJSON() as HttpRequestBody<'subscribePush'>,
  );
  if (!result.ok) {
    await subscription.unsubscribe();
    return { ok: false, message: result.message };
  }
  return { ok: true };
}

export async function disablePush(): Promise<{ ok: true } | { ok: false; message: string }> {
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return { ok: true };
  const result = await callApi('unsubscribePush', { endpoint: subscription.endpoint });
  // Offline, the server would keep pushing to a subscription this browser dropped: keep both.
  if (!result.ok && result.code === 'NETWORK') return { ok: false, message: result.message };
  await subscription.unsubscribe();
  return { ok: true };
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}
