'use client';
// A modal question before an action that cannot be taken back: the native <dialog>, which
// traps focus, closes on Escape and needs no injected styles under the page's CSP.

import { useEffect, useId, useRef, useState } from 'react';
import controls from './controls.module.css';
import styles from './dialog.module.css';

export interface Confirmation {
  title: string;
  text: string;
  confirmLabel: string;
  /** Runs once the person confirms; the dialog closes when it settles. */
  onConfirm: () => Promise<unknown>;
}

/** Shows `confirmation` while it is set; `onDone` clears it (after Cancel, Escape or the action). */
export function ConfirmDialog({
  confirmation,
  onDone,
}: {
  confirmation: Confirmation | null;
  onDone: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [isBusy, setIsBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (confirmation && !element.open) element.showModal();
    if (!confirmation && element.open) element.close();
  }, [confirmation]);

  async function confirm() {
    if (!confirmation) return;
    setIsBusy(true);
    try {
      await confirmation.onConfirm();
    } finally {
      setIsBusy(false);
      onDone();
    }
  }

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      // Escape and Cancel both end here: the question is gone and nothing happened.
      onClose={onDone}
    >
      {confirmation && (
        <>
          <h2 id={`${id}-title`}>{confirmation.title}</h2>
          <p id={`${id}-text`}>{confirmation.text}</p>
          <div className={styles.actions}>
            <button
              className={controls.quietButton}
              type="button"
              onClick={() => dialog.current?.close()}
              disabled={isBusy}
            >
              Cancel
            </button>
            <button
              className={controls.dangerButton}
              type="button"
              onClick={confirm}
              disabled={isBusy}
            >
              {confirmation.confirmLabel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
