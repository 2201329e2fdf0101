'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '../hooks/api';
import { forgetCachedUser } from '../hooks/session-cache';
import { useChatClient } from '../hooks/use-chat';
import controls from './controls.module.css';

export function SignOutButton() {
  const router = useRouter();
  const client = useChatClient();
  const [isBusy, setIsBusy] = useState(false);

  async function signOut() {
    setIsBusy(true);
    // Whatever the answer (even none), nothing of the account stays on this device.
    await callApi('signOut');
    forgetCachedUser();
    await client.forgetDevice();
    router.replace('/sign-in');
  }

  return (
    <button className={controls.quietButton} type="button" onClick={signOut} disabled={isBusy}>
      Sign out
    </button>
  );
}
