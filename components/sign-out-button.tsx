'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { forgetCachedUser } from '../hooks/session-cache';
import { useChatClient } from '../hooks/use-chat';
import controls from './controls.module.css';

export function SignOutButton() {
  const router = useRouter();
  const client = useChatClient();
  const [isBusy, setIsBusy] = useState(false);

  async function signOut() {
    setIsBusy(true);
    try {
      await fetch('/api/auth/sign-out', { method: 'POST' });
    } finally {
      forgetCachedUser();
      await client.forgetDevice();
      router.replace('/sign-in');
    }
  }

  return (
    <button className={controls.quietButton} type="button" onClick={signOut} disabled={isBusy}>
      Sign out
    </button>
  );
}
