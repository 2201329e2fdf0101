'use client';

import type { MessageStatus } from '../hooks/chat-state';
import { formatFull, formatTime } from './format-time';
import styles from './message-bubble.module.css';

const STATUS_LABEL: Record<MessageStatus, string> = {
  sending: 'Not sent yet',
  failed: 'Not sent',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

const STATUS_ICON: Record<MessageStatus, string> = {
  sending: '🕓',
  failed: '!',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
};

/** The body is rendered as text, never as HTML; CSS keeps its line breaks. */
export function MessageBubble({
  body,
  createdAt,
  isMine,
  status,
  seq,
  senderName,
  onInfo,
}: {
  body: string;
  createdAt: string;
  isMine: boolean;
  /** Ticks, for the viewer's own messages only. */
  status?: MessageStatus;
  seq?: number;
  /** Shown above others' messages in groups. */
  senderName?: string;
  /** Opens who has read and received the message. */
  onInfo?: () => void;
}) {
  return (
    <div
      className={isMine ? styles.mine : styles.bubble}
      data-testid="message"
      data-mine={isMine}
      data-seq={seq}
      data-status={status}
    >
      {senderName && (
        <p className={styles.sender} data-testid="message-sender">
          {senderName}
        </p>
      )}
      <p className={styles.body} data-testid="message-body">
        {body}
      </p>
      <span className={styles.meta}>
        <time dateTime={createdAt} title={formatFull(createdAt)}>
          {formatTime(createdAt)}
        </time>
        {status && (
          <span
            className={styles[status]}
            aria-label={STATUS_LABEL[status]}
            title={STATUS_LABEL[status]}
            data-testid="message-status"
          >
            {STATUS_ICON[status]}
          </span>
        )}
        {onInfo && (
          <button type="button" className={styles.info} onClick={onInfo} aria-label="Message info">
            info
          </button>
        )}
      </span>
    </div>
  );
}
