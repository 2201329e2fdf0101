// Notifications on this browser: ask permission, subscribe with the server's VAPID key, and
// register the subscription with the server (or undo all of it).

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
  const keyResponse = await fetch('/api/push/key', { cache: 'no-store' });
  const key = (await keyResponse.json()) as { ok: boolean; publicKey?: string; message?: string };
  if (!key.ok || !key.publicKey) return { ok: false, message: key.message ?? 'No push key.' };
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(key.publicKey),
  });
  const response = await fetch('/api/push/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(subscription.toJSON()),
  });
  const result = (await response.json()) as { ok: boolean; message?: string };
  if (!result.ok) {
    await subscription.unsubscribe();
    return { ok: false, message: result.message ?? 'The server did not accept the subscription.' };
  }
  return { ok: true };
}

export async function disablePush(): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await fetch('/api/push/subscriptions', {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ endpoint: subscription.endpoint }),
  });
  await subscription.unsubscribe();
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}
