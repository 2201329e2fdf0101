'use client';
// Who has read one of the viewer's group messages, who has it, and who does not yet.

import { useEffect, useState } from 'react';
import type { MessageReceipts, UserSummary } from '../protocol';
import { displayNameOf } from '../hooks/chat-state';
import { useChatClient, useChatState } from '../hooks/use-chat';
import controls from './controls.module.css';
import styles from './message-info.module.css';

export function MessageInfo({
  conversationId,
  seq,
  onClose,
}: {
  conversationId: string;
  seq: number;
  onClose: () => void;
}) {
  const client = useChatClient();
  const [receipts, setReceipts] = useState<MessageReceipts | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void client.getReceipts(conversationId, seq).then((result) => {
      if (result.ok) setReceipts(result.receipts);
      else setError(result.message);
    });
  }, [client, conversationId, seq]);

  return (
    <div className={styles.info} role="dialog" aria-label="Message info" data-testid="message-info">
      {error && <p className={controls.formError}>{error}</p>}
      {receipts && (
        <>
          <ReceiptGroup title="Read by" users={receipts.readBy} />
          <ReceiptGroup title="Delivered to" users={receipts.deliveredTo} />
          <ReceiptGroup title="Not delivered yet" users={receipts.pending} />
        </>
      )}
      <button type="button" className={controls.quietButton} onClick={onClose}>
        Close
      </button>
    </div>
  );
}

function ReceiptGroup({ title, users }: { title: string; users: UserSummary[] }) {
  const people = useChatState((state) => state.people);
  if (users.length === 0) return null;
  return (
    <section>
      <h3>{title}</h3>
      <ul>
        {users.map((user) => (
          <li key={user.id}>{displayNameOf(people, user)}</li>
        ))}
      </ul>
    </section>
  );
}
