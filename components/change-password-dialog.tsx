'use client';
// Changing one's password: the current one, then the new one. Every other device is signed out
// (the server ends their sessions); this one stays signed in.

import { useId, useState, type FormEvent } from 'react';
import { PASSWORD_RULE } from '../protocol';
import { callApi } from '../hooks/api';
import { DialogFooter, useModal } from './modal-dialog';
import controls from './controls.module.css';
import dialogStyles from './dialog.module.css';

type Outcome = { ok: true; text: string } | { ok: false; text: string } | null;

/** The "Change password" button of the chat list, and the dialog it opens. */
export function ChangePasswordDialog() {
  const [isOpen, setIsOpen] = useState(false);
  const dialog = useModal(isOpen ? true : null);
  const [isBusy, setIsBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const id = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setIsBusy(true);
    setOutcome(null);
    const result = await callApi('changePassword', {
      currentPassword: String(data.get('currentPassword') ?? ''),
      newPassword: String(data.get('newPassword') ?? ''),
    });
    setIsBusy(false);
    if (!result.ok) {
      setOutcome({ ok: false, text: result.message });
      return;
    }
    form.reset();
    const others = result.sessionsEnded;
    setOutcome({
      ok: true,
      text:
        others === 0
          ? 'Password changed.'
          : `Password changed. ${others} other ${others === 1 ? 'device was' : 'devices were'} signed out.`,
    });
  }

  return (
    <>
      <button
        className={controls.quietButton}
        type="button"
        onClick={() => {
          setOutcome(null);
          setIsOpen(true);
        }}
      >
        Change password
      </button>
      <dialog
        ref={dialog}
        className={dialogStyles.dialog}
        aria-labelledby={`${id}-title`}
        onClose={() => setIsOpen(false)}
      >
        <form className={dialogStyles.form} onSubmit={submit} noValidate>
          <h2 id={`${id}-title`}>Change password</h2>
          <label className={controls.field}>
            <span className={controls.fieldLabel}>Current password</span>
            <input
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
            />
          </label>
          <label className={controls.field}>
            <span className={controls.fieldLabel}>New password</span>
            <input
              name="newPassword"
              type="password"
              autoComplete="new-password"
              required
              aria-describedby={`${id}-rule`}
            />
          </label>
          <p id={`${id}-rule`} className={controls.fieldHint}>
            {PASSWORD_RULE} Your other devices will be signed out.
          </p>
          {outcome?.ok && (
            <p role="status" data-testid="password-changed">
              {outcome.text}
            </p>
          )}
          <DialogFooter
            dialog={dialog}
            error={outcome?.ok ? null : (outcome?.text ?? null)}
            isBusy={isBusy}
          >
            <button className={controls.primaryButton} type="submit" disabled={isBusy}>
              Change password
            </button>
          </DialogFooter>
        </form>
      </dialog>
    </>
  );
}
