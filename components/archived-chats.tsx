'use client';
// The archived chats, in the list's place (as in WhatsApp Web), with a way back to the list.

import { ArrowLeft } from 'lucide-react';
import { useEffect, useId, useRef } from 'react';
import { ConversationList } from './conversation-list';
import controls from './controls.module.css';
import styles from './archived-chats.module.css';

export function ArchivedChats({
  activeId,
  onClose,
}: {
  activeId: string | null;
  onClose: () => void;
}) {
  const back = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  // The view replaced the row that opened it: focus goes to its way back.
  useEffect(() => back.current?.focus(), []);
  return (
    <section
      className={styles.archived}
      aria-labelledby={titleId}
      data-testid="archived-chats"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <header className={styles.header}>
        <button
          ref={back}
          type="button"
          className={controls.iconButton}
          aria-label="Back to all chats"
          title="Back"
          onClick={onClose}
        >
          <ArrowLeft aria-hidden="true" size={20} />
        </button>
        <h2 id={titleId} className={styles.title}>
          Archived
        </h2>
      </header>
      <p className={styles.note}>
        A new message brings a chat back to the list, unless it is muted.
      </p>
      <ConversationList activeId={activeId} view="archived" />
    </section>
  );
}
