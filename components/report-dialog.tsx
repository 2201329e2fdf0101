'use client';
// "Report …": a person or a message, to the server's admins, with an optional note. It says
// what the admins will see before anything is sent, and confirms once the report is in.

import { useId, useState, type FormEvent } from 'react';
import { countCodePoints, REPORT_NOTE_MAX_LENGTH } from '../protocol';
import type { ReportTarget } from '../hooks/chat-client';
import { useChatClient } from '../hooks/use-chat';
import controls from './controls.module.css';
import styles from './dialog.module.css';
import { DialogFooter, useModal } from './modal-dialog';
import report from './report-dialog.module.css';

export interface ReportRequest {
  target: ReportTarget;
  /** Who is reported, as the viewer sees their name. */
  name: string;
}

export const REPORTED_TEXT = 'Reported. Admins will review it.';

/** Shows `request` while it is set; `onDone` clears it (after Cancel, Escape or Done). */
export function ReportDialog({
  request,
  onDone,
}: {
  request: ReportRequest | null;
  onDone: () => void;
}) {
  const client = useChatClient();
  const dialog = useModal(request);
  const [note, setNote] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isSent, setIsSent] = useState(false);
  const id = useId();
  const isMessage = request !== null && 'seq' in request.target;
  // Counted as the server counts (code points), so an emoji is one, not two.
  const length = countCodePoints(note.trim());
  const isTooLong = length > REPORT_NOTE_MAX_LENGTH;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!request || isTooLong) return;
    setIsBusy(true);
    setError(null);
    const result = await client.report(request.target, note);
    setIsBusy(false);
    if (result.ok) setIsSent(true);
    else setError(result.message);
  }

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      // Escape, Cancel and Done all end here; the next opening starts afresh.
      onClose={() => {
        setNote('');
        setError(null);
        setIsSent(false);
        onDone();
      }}
      data-testid="report-dialog"
    >
      {request && (
        <>
          <h2 id={`${id}-title`} className={report.title}>
            {isMessage ? `Report this message from ${request.name}?` : `Report ${request.name}?`}
          </h2>
          {isSent ? (
            <>
              <p id={`${id}-text`} role="status" data-testid="report-sent">
                {REPORTED_TEXT}
              </p>
              <div className={styles.actions}>
                <button
                  className={controls.primaryButton}
                  type="button"
                  onClick={() => dialog.current?.close()}
                  // The status has just replaced the form: the keyboard goes to the way out.
                  autoFocus
                >
                  Done
                </button>
              </div>
            </>
          ) : (
            <form className={styles.form} onSubmit={submit} noValidate>
              <p id={`${id}-text`} className={controls.fieldHint}>
                {isMessage
                  ? 'The admins of this server will see the message, a few messages around it, and your note.'
                  : 'The admins of this server will see who you reported and your note.'}{' '}
                {request.name} is not told.
              </p>
              <label className={controls.field}>
                <span className={controls.fieldLabel}>Note for the admins (optional)</span>
                <textarea
                  className={report.note}
                  rows={3}
                  value={note}
                  onChange={(event) => setNote(event.target.value)}
                  aria-describedby={`${id}-count`}
                  aria-invalid={isTooLong}
                  data-testid="report-note"
                />
              </label>
              <p id={`${id}-count`} className={isTooLong ? report.countOver : report.count}>
                {isTooLong
                  ? `Too long: ${length} / ${REPORT_NOTE_MAX_LENGTH} characters`
                  : `${length} / ${REPORT_NOTE_MAX_LENGTH}`}
              </p>
              <DialogFooter dialog={dialog} error={error} isBusy={isBusy}>
                <button
                  className={controls.dangerButton}
                  type="submit"
                  disabled={isBusy || isTooLong}
                  data-testid="report-submit"
                >
                  Report
                </button>
              </DialogFooter>
            </form>
          )}
        </>
      )}
    </dialog>
  );
}
