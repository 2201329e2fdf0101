'use client';
// A modal question before an action that cannot be taken back.

import { useId, useState } from 'react';
import controls from './controls.module.css';
import styles from './dialog.module.css';
import { DialogFooter, useModal } from './modal-dialog';

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
  const dialog = useModal(confirmation);
  const [isBusy, setIsBusy] = useState(false);
  const id = useId();

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
          <DialogFooter dialog={dialog} error={null} isBusy={isBusy}>
            <button
              className={controls.dangerButton}
              type="button"
              onClick={confirm}
              disabled={isBusy}
            >
              {confirmation.confirmLabel}
            </button>
          </DialogFooter>
        </>
      )}
    </dialog>
  );
}
