'use client';
// "Delete message?": for the viewer alone, or for everyone when they may (their own message
// within the delete window, or any message of a group they administer). Closing it gives the
// focus back to the message.

import { useId, useState } from 'react';
import type { ActionResult } from '../hooks/chat-client';
import controls from './controls.module.css';
import styles from './dialog.module.css';
import { DialogFooter, useModal } from './modal-dialog';

export interface DeleteRequest {
  canDeleteForEveryone: boolean;
  onDelete: (scope: 'everyone' | 'me') => Promise<ActionResult>;
}

export function DeleteMessageDialog({
  request,
  onDone,
}: {
  request: DeleteRequest | null;
  onDone: () => void;
}) {
  const dialog = useModal(request);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function remove(scope: 'everyone' | 'me') {
    if (!request) return;
    setIsBusy(true);
    const result = await request.onDelete(scope);
    setIsBusy(false);
    if (result.ok) dialog.current?.close();
    else setError(result.message);
  }

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={`${id}-title`}
      // Escape, Cancel and success all end here; the next opening starts afresh.
      onClose={() => {
        setError(null);
        onDone();
      }}
      data-testid="delete-dialog"
    >
      {request && (
        <>
          <h2 id={`${id}-title`}>Delete message?</h2>
          <DialogFooter dialog={dialog} error={error} isBusy={isBusy}>
            <button
              className={controls.dangerButton}
              type="button"
              onClick={() => void remove('me')}
              disabled={isBusy}
            >
              Delete for me
            </button>
            {request.canDeleteForEveryone && (
              <button
                className={controls.dangerButton}
                type="button"
                onClick={() => void remove('everyone')}
                disabled={isBusy}
              >
                Delete for everyone
              </button>
            )}
          </DialogFooter>
        </>
      )}
    </dialog>
  );
}
