'use client';

import { useLayoutEffect, useRef, useState } from 'react';
import { hasMoreBefore, statusOf } from '../hooks/chat-state';
import { useChatClient, useChatState, useConversation, usePending } from '../hooks/use-chat';
import { MessageBubble } from './message-bubble';
import { MessageInfo } from './message-info';
import controls from './controls.module.css';
import styles from './message-list.module.css';

/** Within this many pixels of the bottom, new messages keep the view pinned to the bottom. */
const STICK_TO_BOTTOM_PX = 120;
/** Within this many pixels of the top, older messages are fetched. */
const LOAD_OLDER_PX = 300;

export function MessageList({ conversationId }: { conversationId: string }) {
  const client = useChatClient();
  const thread = useChatState((state) => state.threads[conversationId]);
  const summary = useConversation(conversationId);
  const pending = usePending(conversationId);
  const meId = useChatState((state) => state.me.id);
  const messages = thread?.messages;
  const isGroup = summary?.kind === 'group';
  const [infoSeq, setInfoSeq] = useState<number | null>(null);

  const scroller = useRef<HTMLDivElement>(null);
  const previous = useRef<{
    messages: unknown;
    pending: unknown;
    firstId: number;
    firstTop: number;
    isAtBottom: boolean;
    count: number;
  }>({
    messages: undefined,
    pending: undefined,
    firstId: 0,
    firstTop: 0,
    isAtBottom: true,
    count: 0,
  });

  // Keep the reader's place: pinned to the bottom for new messages, steady when older ones
  // are inserted above. This is the only correction: the browser's own scroll anchoring is
  // off for the list (overflow-anchor in the CSS), or both would move it and the view would
  // jump forward by the height of the page inserted. It runs after every render, so the
  // position of the first message is always the one of the last commit.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const firstId = messages?.[0]?.id ?? 0;
    const count = (messages?.length ?? 0) + pending.length;
    const before = previous.current;
    if (before.firstId !== 0 && firstId !== before.firstId && count > before.count) {
      // Older messages went in above: the message that was first moves down by their
      // height, and the view with it.
      const anchor = findMessage(element, before.firstId);
      if (anchor) element.scrollTop += topInContent(element, anchor) - before.firstTop;
    } else if (
      (messages !== before.messages || pending !== before.pending) &&
      (before.isAtBottom || (count > before.count && pending.length > 0))
    ) {
      element.scrollTop = element.scrollHeight;
    }
    const first = findMessage(element, firstId);
    previous.current = {
      messages,
      pending,
      firstId,
      firstTop: first ? topInContent(element, first) : 0,
      isAtBottom: isNearBottom(element),
      count,
    };
  });

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    previous.current.isAtBottom = isNearBottom(element);
    if (element.scrollTop < LOAD_OLDER_PX) void client.loadOlder(conversationId);
  }

  return (
    <div
      className={styles.messages}
      ref={scroller}
      onScroll={onScroll}
      data-testid="message-scroller"
    >
      <p className={styles.edge}>
        {!thread
          ? 'Loading messages…'
          : thread.isLoadingOlder
            ? 'Loading older messages…'
            : hasMoreBefore(thread)
              ? ''
              : 'This is the beginning of the conversation.'}
      </p>
      {/* A log region announces new messages politely; the list inside keeps list semantics. */}
      <div role="log" aria-live="polite" aria-label="Messages">
        <ol className={styles.list}>
          {messages?.map((message) => {
            if (message.kind === 'system') {
              return (
                <li
                  key={message.id}
                  className={styles.system}
                  data-testid="system-message"
                  data-message-id={message.id}
                >
                  <span>{message.body}</span>
                </li>
              );
            }
            const isMine = message.senderId === meId;
            return (
              <li key={message.id} className={styles.item} data-message-id={message.id}>
                <MessageBubble
                  body={message.body}
                  createdAt={message.createdAt}
                  isMine={isMine}
                  seq={message.seq}
                  status={isMine ? statusOf(message, summary) : undefined}
                  senderName={isGroup && !isMine ? message.senderUsername : undefined}
                  onInfo={isGroup && isMine ? () => setInfoSeq(message.seq) : undefined}
                />
                {infoSeq === message.seq && (
                  <MessageInfo
                    conversationId={conversationId}
                    seq={message.seq}
                    onClose={() => setInfoSeq(null)}
                  />
                )}
              </li>
            );
          })}
          {pending.map((message) => (
            <li key={message.clientMsgId} className={styles.item}>
              <MessageBubble
                body={message.body}
                createdAt={message.createdAt}
                isMine
                status={message.status}
              />
              {message.status === 'failed' && (
                <div className={styles.sendError} role="alert">
                  <span>{message.error}</span>
                  <button
                    type="button"
                    className={controls.quietButton}
                    onClick={() => client.retryMessage(message.clientMsgId)}
                  >
                    Retry
                  </button>
                  <button
                    type="button"
                    className={controls.quietButton}
                    onClick={() => client.discardMessage(message.clientMsgId)}
                  >
                    Delete
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}

function findMessage(scroller: HTMLElement, id: number): HTMLElement | null {
  return scroller.querySelector<HTMLElement>(`[data-message-id="${id}"]`);
}

/** Where an element starts within the scrolled content, whatever the scroll position. */
function topInContent(scroller: HTMLElement, element: HTMLElement): number {
  return (
    element.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop
  );
}

function isNearBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
}
