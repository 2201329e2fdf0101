'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { callApi } from '../hooks/api';
import { forgetCachedUser } from '../hooks/session-cache';
import { useChatClient } from '../hooks/use-chat';
import controls from './controls.module.css';
import styles from './dialog.module.css';
import { DialogFooter } from './modal-dialog';

/** Ends every session of the account, on every device, after asking once. */
export function SignOutEverywhereButton() {
  const router = useRouter();
  const client = useChatClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function ask() {
    setError(null);
    dialog.current?.showModal();
  }

  async function signOutEverywhere() {
    setIsBusy(true);
    setError(null);
    const result = await callApi('signOutEverywhere');
    if (!result.ok && result.code === 'NETWORK') {
      setError('Could not reach Parley. Nothing was signed out; try again when you are online.');
      setIsBusy(false);
      return;
    }
    // UNAUTHENTICATED: this session had already ended; either way, nothing of the account
    // stays here.
    if (!result.ok && result.code !== 'UNAUTHENTICATED') {
      setError('Signing out everywhere failed. Try again.');
      setIsBusy(false);
      return;
    }
    dialog.current?.close();
    forgetCachedUser();
    await client.forgetDevice();
    router.replace('/sign-in');
  }

  return (
    <>
      <button className={controls.quietButton} type="button" onClick={ask}>
        Sign out everywhere
      </button>
      <dialog
        ref={dialog}
        className={styles.dialog}
        aria-labelledby="sign-out-everywhere-title"
        aria-describedby="sign-out-everywhere-text"
      >
        <h2 id="sign-out-everywhere-title">Sign out everywhere?</h2>
        <p id="sign-out-everywhere-text">
          This signs you out of Parley on all your devices and browsers, this one included. Messages
          that have not been sent yet are lost.
        </p>
        <DialogFooter dialog={dialog} error={error} isBusy={isBusy}>
          <button
            className={controls.dangerButton}
            type="button"
            onClick={signOutEverywhere}
            disabled={isBusy}
          >
            Sign out all devices
          </button>
        </DialogFooter>
      </dialog>
    </>
  );
}
