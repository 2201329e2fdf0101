'use client';

import type { Message } from '../protocol';
import type { PendingMessage } from '../hooks/chat-state';
import { formatFull, formatTime } from './format-time';

type Status = 'sending' | 'failed' | 'sent';

const STATUS_LABEL: Record<Status, string> = {
  sending: 'Sending',
  failed: 'Not sent',
  sent: 'Sent',
};

const STATUS_ICON: Record<Status, string> = {
  sending: '🕓',
  failed: '!',
  sent: '✓',
};

/** The body is rendered as text, never as HTML; CSS keeps its line breaks. */
export function MessageBubble({
  body,
  createdAt,
  isMine,
  status,
  seq,
}: {
  body: string;
  createdAt: string;
  isMine: boolean;
  status?: Status;
  seq?: number;
}) {
  return (
    <div
      className={isMine ? 'bubble bubble--mine' : 'bubble'}
      data-testid="message"
      data-seq={seq}
      data-status={status}
    >
      <p className="bubble__body">{body}</p>
      <span className="bubble__meta">
        <time dateTime={createdAt} title={formatFull(createdAt)}>
          {formatTime(createdAt)}
        </time>
        {status && (
          <span
            className={`tick tick--${status}`}
            aria-label={STATUS_LABEL[status]}
            title={STATUS_LABEL[status]}
            data-testid="message-status"
          >
            {STATUS_ICON[status]}
          </span>
        )}
      </span>
    </div>
  );
}

export function toBubbleProps(message: Message, meId: string) {
  const isMine = message.senderId === meId;
  return {
    body: message.body,
    createdAt: message.createdAt,
    isMine,
    seq: message.seq,
    ...(isMine ? { status: 'sent' as const } : {}),
  };
}

export function pendingBubbleProps(message: PendingMessage) {
  return {
    body: message.body,
    createdAt: message.createdAt,
    isMine: true,
    status: message.status,
  };
}
