'use client';
// What every modal of the app shares: the native <dialog> (it traps focus, closes on Escape and
// needs no injected styles under the page's CSP), open while what it is about is set, and a
// footer with the reason an action failed, Cancel, and the dialog's own actions.

import { useEffect, useRef, type ReactNode, type RefObject } from 'react';
import controls from './controls.module.css';
import styles from './dialog.module.css';

/** A ref for a <dialog> that is shown as a modal while `subject` is set, and closed when not. */
export function useModal(subject: unknown): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  const isOpen = subject !== null && subject !== undefined;
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (isOpen && !element.open) element.showModal();
    if (!isOpen && element.open) element.close();
  }, [isOpen]);
  return dialog;
}

/** The error (if any), Cancel (which closes the dialog: its onClose runs), then `children`. */
export function DialogFooter({
  dialog,
  error,
  isBusy,
  children,
}: {
  dialog: RefObject<HTMLDialogElement | null>;
  error: string | null;
  isBusy: boolean;
  children: ReactNode;
}) {
  return (
    <>
      {error && (
        <p className={controls.formError} role="alert">
          {error}
        </p>
      )}
      <div className={styles.actions}>
        <button
          className={controls.quietButton}
          type="button"
          onClick={() => dialog.current?.close()}
          disabled={isBusy}
        >
          Cancel
        </button>
        {children}
      </div>
    </>
  );
}
