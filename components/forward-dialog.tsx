'use client';
// "Forward to…": the conversations the viewer may write in, to tick one or more. Each gets a
// copy of the message, marked forwarded.

import { useId, useState, type FormEvent } from 'react';
import { FORWARD_TARGETS_MAX } from '../protocol';
import { isFormerMember } from '../hooks/chat-state';
import { useChatClient, useChatState } from '../hooks/use-chat';
import controls from './controls.module.css';
import styles from './dialog.module.css';
import forward from './forward-dialog.module.css';
import { DialogFooter, useModal } from './modal-dialog';

export interface ForwardSource {
  conversationId: string;
  seqs: number[];
}

export function ForwardDialog({
  source,
  onDone,
}: {
  source: ForwardSource | null;
  onDone: () => void;
}) {
  const client = useChatClient();
  const conversations = useChatState((state) => state.conversations);
  const dialog = useModal(source);
  const [chosen, setChosen] = useState<string[]>([]);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const targets = conversations.filter((item) => !isFormerMember(item));
  const isFull = chosen.length >= FORWARD_TARGETS_MAX;

  function toggle(conversationId: string, isChosen: boolean) {
    setChosen((current) =>
      isChosen ? [...current, conversationId] : current.filter((item) => item !== conversationId),
    );
  }

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!source || chosen.length === 0) return;
    setIsBusy(true);
    const result = await client.forwardMessages(source.conversationId, source.seqs, chosen);
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
        setChosen([]);
        setError(null);
        onDone();
      }}
      data-testid="forward-dialog"
    >
      {source && (
        <form onSubmit={send}>
          <h2 id={`${id}-title`}>Forward to…</h2>
          <fieldset className={forward.choices}>
            <legend className="visually-hidden">Conversations</legend>
            {targets.map((item) => {
              const isChosen = chosen.includes(item.id);
              return (
                <label key={item.id} className={forward.choice}>
                  <input
                    type="checkbox"
                    checked={isChosen}
                    disabled={isBusy || (isFull && !isChosen)}
                    onChange={(event) => toggle(item.id, event.target.checked)}
                  />
                  <span>{item.title}</span>
                </label>
              );
            })}
          </fieldset>
          <DialogFooter dialog={dialog} error={error} isBusy={isBusy}>
            <button
              className={controls.primaryButton}
              type="submit"
              disabled={isBusy || chosen.length === 0}
            >
              Forward
            </button>
          </DialogFooter>
        </form>
      )}
    </dialog>
  );
}
