// The signed-in user, remembered on the device so that the app opens without a network.
// The server still checks the session cookie on every request and socket handshake.

import type { UserSummary } from '../protocol';

const KEY = 'parley.user';

/** The stored text itself: stable between calls, as useSyncExternalStore needs. */
export function readCachedUserRaw(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function parseCachedUser(raw: string | null): UserSummary | null {
  try {
    const value = JSON.parse(raw ?? 'null') as UserSummary | null;
    return value && typeof value.id === 'string' && typeof value.username === 'string'
      ? { id: value.id, username: value.username }
      : null;
  } catch {
    return null;
  }
}

export function cacheUser(user: UserSummary): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ id: user.id, username: user.username }));
  } catch {
    // Storage full or disabled: the app then needs the network to open.
  }
}

export function forgetCachedUser(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
}
