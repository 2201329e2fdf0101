'use client';
// Deleting one's account, for good: the password, and a plain statement of what happens. Then
// nothing of the account stays on this device either.

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { callApi } from '../hooks/api';
import { forgetCachedUser } from '../hooks/session-cache';
import { useChatClient } from '../hooks/use-chat';
import { DialogFooter, useModal } from './modal-dialog';
import controls from './controls.module.css';
import dialogStyles from './dialog.module.css';

/** The "Delete my account" button, and the dialog it opens. */
export function DeleteAccountDialog() {
  const router = useRouter();
  const client = useChatClient();
  const [isOpen, setIsOpen] = useState(false);
  const dialog = useModal(isOpen ? true : null);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setIsBusy(true);
    setError(null);
    const result = await callApi('deleteAccount', { password: String(data.get('password') ?? '') });
    if (!result.ok) {
      setIsBusy(false);
      setError(result.message);
      return;
    }
    forgetCachedUser();
    await client.forgetDevice();
    router.replace('/sign-up');
  }

  return (
    <>
      <button
        className={controls.dangerButton}
        type="button"
        onClick={() => {
          setError(null);
          setIsOpen(true);
        }}
      >
        Delete my account
      </button>
      <dialog
        ref={dialog}
        className={dialogStyles.dialog}
        aria-labelledby={`${id}-title`}
        onClose={() => setIsOpen(false)}
        data-testid="delete-account"
      >
        <form className={dialogStyles.form} onSubmit={submit} noValidate>
          <h2 id={`${id}-title`}>Delete your account?</h2>
          <p>
            You leave every group, every device is signed out, and your name, “about” and
            notifications are erased. The messages you sent stay with the people you sent them to,
            shown as from “Deleted account”. This cannot be undone.
          </p>
          <label className={controls.field}>
            <span className={controls.fieldLabel}>Your password</span>
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <DialogFooter dialog={dialog} error={error} isBusy={isBusy}>
            <button className={controls.dangerButton} type="submit" disabled={isBusy}>
              Delete account
            </button>
          </DialogFooter>
        </form>
      </dialog>
    </>
  );
}
