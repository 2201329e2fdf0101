'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

export function SignOutButton() {
  const router = useRouter();
  const [isBusy, setIsBusy] = useState(false);

  async function signOut() {
    setIsBusy(true);
    try {
      await fetch('/api/auth/sign-out', { method: 'POST' });
    } finally {
      router.replace('/sign-in');
      router.refresh();
    }
  }

  return (
    <button className="button button--quiet" type="button" onClick={signOut} disabled={isBusy}>
      Sign out
    </button>
  );
}
