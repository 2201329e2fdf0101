'use client';

import { ChevronDown } from 'lucide-react';
import { useId, useRef, useState, type ReactNode } from 'react';
import type { MessageStatus } from '../hooks/chat-state';
import { formatFull, formatTime } from './format-time';
import { MessageMenu, type MenuAnchor, type MenuItem, type MenuReactions } from './message-menu';
import { MessageText } from './message-text';
import { useLongPress } from './use-long-press';
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

/** What a reply shows of the message it quotes. */
export interface QuoteView {
  senderName: string;
  text: string;
  isDeleted: boolean;
  /** Scrolls to the original; absent while the reply is still being sent. */
  onOpen?: () => void;
}

/** What the action menu of a message offers. */
export interface BubbleActions {
  reactions: MenuReactions | null;
  items: MenuItem[];
}

/** The body is rendered as text, never as HTML; CSS keeps its line breaks. */
export function MessageBubble({
  body,
  createdAt,
  isMine,
  status,
  seq,
  senderName,
  senderColour,
  isFollowUp = false,
  quote,
  isEdited = false,
  deletedText,
  isForwarded = false,
  isHighlighted = false,
  reactions,
  actions,
}: {
  body: string;
  createdAt: string;
  isMine: boolean;
  /** Ticks, for the viewer's own messages only. */
  status?: MessageStatus;
  seq?: number;
  /** Shown above others' messages in groups. */
  senderName?: string;
  /** The sender's colour (colourOf), for their name. */
  senderColour?: number;
  /** Follows a message of the same sender: no tail, closer to it, as in WhatsApp. */
  isFollowUp?: boolean;
  quote?: QuoteView;
  isEdited?: boolean;
  /** Deleted for everyone: this sentence stands in for the text. */
  deletedText?: string;
  isForwarded?: boolean;
  /** Just jumped to (from a quote): shown briefly. */
  isHighlighted?: boolean;
  /** The reactions row, under the text. */
  reactions?: ReactNode;
  /** What the action menu offers, asked when it opens; absent for a message not stored yet. */
  actions?: () => BubbleActions;
}) {
  const bubble = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<{ anchor: MenuAnchor; offer: BubbleActions } | null>(null);
  const menuId = useId();
  // A long press (touch) opens the menu beside the bubble, a right-click at the pointer.
  const pressHandlers = useLongPress(
    (point) =>
      point
        ? openMenu({
            left: point.x,
            right: point.x,
            top: point.y,
            bottom: point.y,
            alignEnd: false,
          })
        : openAtBubble(),
    actions !== undefined,
  );

  function openMenu(anchor: MenuAnchor) {
    const offer = actions?.();
    // Nothing to offer (a deleted message of a group one has left): no empty menu.
    if (offer && (offer.reactions || offer.items.length > 0)) setMenu({ anchor, offer });
  }

  function openAtBubble() {
    const box = bubble.current?.getBoundingClientRect();
    if (box) openMenu({ ...boxOf(box), alignEnd: isMine });
  }

  function closeMenu(returnFocus: boolean) {
    setMenu(null);
    if (returnFocus) bubble.current?.focus();
  }

  return (
    <div
      ref={bubble}
      className={`${isMine ? styles.mine : styles.bubble} ${isFollowUp ? styles.followUp : styles.first} ${isHighlighted ? styles.highlighted : ''}`}
      data-testid="message"
      data-mine={isMine}
      data-seq={seq}
      data-status={status}
      data-highlighted={isHighlighted || undefined}
      tabIndex={actions ? 0 : undefined}
      onKeyDown={(event) => {
        // Keys pressed on the bubble itself, not on a button inside it.
        if (event.target !== event.currentTarget || !actions) return;
        if (
          event.key === 'Enter' ||
          event.key === 'ContextMenu' ||
          (event.key === 'F10' && event.shiftKey)
        ) {
          event.preventDefault();
          openAtBubble();
        }
      }}
      {...pressHandlers}
    >
      {actions && (
        <button
          type="button"
          className={styles.menuButton}
          aria-label="Message actions"
          aria-haspopup="menu"
          aria-expanded={menu !== null}
          aria-controls={menu ? menuId : undefined}
          // The bubble is the keyboard's way in (Enter opens the menu): one tab stop each.
          tabIndex={-1}
          onClick={(event) => {
            if (menu) return closeMenu(false);
            openMenu({ ...boxOf(event.currentTarget.getBoundingClientRect()), alignEnd: isMine });
          }}
          data-testid="message-menu-button"
        >
          <ChevronDown aria-hidden="true" size={18} />
        </button>
      )}
      {senderName && (
        <p className={styles.sender} data-colour={senderColour} data-testid="message-sender">
          {senderName}
        </p>
      )}
      {isForwarded && !deletedText && (
        <p className={styles.forwarded} data-testid="message-forwarded">
          <span aria-hidden="true">↪ </span>Forwarded
        </p>
      )}
      {quote && !deletedText && <Quote quote={quote} />}
      {deletedText ? (
        <p className={styles.deleted}>
          <span aria-hidden="true">🚫 </span>
          <span data-testid="message-deleted">{deletedText}</span>
        </p>
      ) : (
        <MessageText text={body} />
      )}
      <span className={styles.meta}>
        {isEdited && !deletedText && (
          <span className={styles.edited} data-testid="message-edited">
            edited
          </span>
        )}
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
      </span>
      {reactions}
      {menu && (
        <MessageMenu
          id={menuId}
          anchor={menu.anchor}
          reactions={menu.offer.reactions}
          items={menu.offer.items}
          onClose={closeMenu}
        />
      )}
    </div>
  );
}

function Quote({ quote }: { quote: QuoteView }) {
  const content = (
    <>
      <span className={styles.quoteSender} data-testid="message-quote-sender">
        {quote.senderName}
      </span>
      <span
        className={quote.isDeleted ? styles.quoteDeleted : styles.quoteText}
        data-testid="message-quote-text"
      >
        {quote.text}
      </span>
    </>
  );
  if (!quote.onOpen) {
    return (
      <div className={styles.quote} data-testid="message-quote">
        {content}
      </div>
    );
  }
  return (
    <button
      type="button"
      className={styles.quote}
      onClick={quote.onOpen}
      title="Show the quoted message"
      data-testid="message-quote"
    >
      {content}
    </button>
  );
}

function boxOf(box: DOMRect): Omit<MenuAnchor, 'alignEnd'> {
  return { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
}
