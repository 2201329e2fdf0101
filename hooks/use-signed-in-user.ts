'use client';
// Who is signed in: the user cached on the device at once (so that the app opens offline),
// confirmed by the server as soon as it answers. A session the server rejects sends the person
// to the sign-in page.

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { inviteQuery, type UserSummary } from '../protocol';
import { callApi } from './api';
import { cacheUser, forgetCachedUser, parseCachedUser, readCachedUserRaw } from './session-cache';

export type SignedInUser =
  | { status: 'checking' }
  | { status: 'signed-in'; user: UserSummary }
  /** No network and nothing cached: this device has never been signed in. */
  | { status: 'unreachable' };

const subscribeToStorage = (onChange: () => void) => {
  window.addEventListener('storage', onChange);
  return () => window.removeEventListener('storage', onChange);
};

export function useSignedInUser(): SignedInUser {
  const router = useRouter();
  // The server render (and the prerendered shell) knows nobody; the browser knows the cache.
  const raw = useSyncExternalStore(subscribeToStorage, readCachedUserRaw, () => null);
  const cached = useMemo(() => parseCachedUser(raw), [raw]);
  const [verified, setVerified] = useState<UserSummary | null>(null);
  const [isUnreachable, setIsUnreachable] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    void callApi('session').then((result) => {
      if (!isCurrent) return;
      if (result.ok) {
        cacheUser(result.user);
        setVerified(result.user);
      } else if (result.code === 'UNAUTHENTICATED') {
        forgetCachedUser();
        // An invite link opened while signed out is followed after signing in.
        router.replace(`/sign-in${inviteQuery(window.location.search)}`);
      } else {
        setIsUnreachable(true);
      }
    });
    return () => {
      isCurrent = false;
    };
  }, [router]);

  const user = verified ?? cached;
  if (user) return { status: 'signed-in', user };
  return isUnreachable ? { status: 'unreachable' } : { status: 'checking' };
}
