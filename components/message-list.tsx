'use client';

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { FORWARD_MESSAGES_MAX, type Message } from '../protocol';
import { hasMoreBefore } from '../hooks/chat-state';
import { heldOriginal } from '../hooks/message-changes';
import { useChatClient, useChatState, useConversation, usePending } from '../hooks/use-chat';
import { DeleteMessageDialog, type DeleteRequest } from './delete-message-dialog';
import { ForwardDialog, type ForwardSource } from './forward-dialog';
import { ReportDialog, type ReportRequest } from './report-dialog';
import { MessageBubble } from './message-bubble';
import { MessageInfo } from './message-info';
import { MessageItem, quoteOf, type MessageItemHandlers } from './message-item';
import { useSeenMessages } from './use-seen-messages';
import controls from './controls.module.css';
import { formatDay, localDay } from './format-time';
import styles from './message-list.module.css';

/** Within this many pixels of the bottom, new messages keep the view pinned to the bottom. */
const STICK_TO_BOTTOM_PX = 120;
/** Within this many pixels of the top, older messages are fetched. */
const LOAD_OLDER_PX = 300;
/** How long a message jumped to from a quote stays highlighted. */
const HIGHLIGHT_MS = 2_000;

/** A message to bring into view; a new object each time, so the same message can be asked again. */
export interface JumpRequest {
  seq: number;
}

export function MessageList({
  conversationId,
  jumpTo = null,
  jumpFromAddress = null,
  onReply,
  onEdit,
}: {
  conversationId: string;
  /** Show this message: its history is loaded, it is scrolled to and highlighted a moment. */
  jumpTo?: JumpRequest | null;
  /** The same, from the page's address (a result of the list's search). */
  jumpFromAddress?: JumpRequest | null;
  /** The composer answers this message next. */
  onReply: (seq: number) => void;
  /** The composer edits this message. */
  onEdit: (seq: number) => void;
}) {
  const client = useChatClient();
  const thread = useChatState((state) => state.threads[conversationId]);
  const summary = useConversation(conversationId);
  const pending = usePending(conversationId);
  const meId = useChatState((state) => state.me.id);
  const messages = thread?.messages;
  const [infoSeq, setInfoSeq] = useState<number | null>(null);
  const [isAtBottom, setIsAtBottom] = useState(true);
  const [deleteRequest, setDeleteRequest] = useState<DeleteRequest | null>(null);
  const [reportRequest, setReportRequest] = useState<ReportRequest | null>(null);
  const [forwardSource, setForwardSource] = useState<ForwardSource | null>(null);
  /** Messages chosen to forward together, by seq; null when not choosing. */
  const [selected, setSelected] = useState<number[] | null>(null);
  /** The message jumped to from a quote: highlighted a moment, scrolled to once rendered. */
  const [jump, setJump] = useState<{ seq: number } | null>(null);
  const scrolledJump = useRef<{ seq: number } | null>(null);
  /**
   * Where the unread messages began when the conversation opened, and how many there were: the
   * "N unread messages" divider stays there while it is open, as in WhatsApp.
   */
  const [unreadAtOpen] = useState(() =>
    summary && summary.unreadCount > 0
      ? { afterSeq: summary.readSeq, count: summary.unreadCount }
      : null,
  );

  const scroller = useRef<HTMLDivElement>(null);
  // Only what has been on screen is marked read (the client sends it when the tab is visible).
  useSeenMessages(scroller, (seq) => client.markSeen(conversationId, seq));
  const previous = useRef<{
    messages: typeof messages;
    pending: typeof pending | undefined;
    firstId: number;
    firstTop: number;
    isAtBottom: boolean;
    /** The content's height at the last commit: where "the bottom" was before this render. */
    scrollHeight: number;
    count: number;
  }>({
    messages: undefined,
    pending: undefined,
    firstId: 0,
    firstTop: 0,
    isAtBottom: true,
    scrollHeight: 0,
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
      (wasAtBottom(element, before) || (count > before.count && pending.length > 0))
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
      scrollHeight: element.scrollHeight,
      count,
    };
  });

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    previous.current.isAtBottom = isNearBottom(element);
    setIsAtBottom(previous.current.isAtBottom);
    if (element.scrollTop < LOAD_OLDER_PX) void client.loadOlder(conversationId);
  }

  function scrollToLatest() {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }

  // After the list kept the reader's place (above), the message jumped to is brought to the
  // middle of the view, as soon as it is rendered.
  useLayoutEffect(() => {
    if (!jump || scrolledJump.current === jump) return;
    const target = scroller.current?.querySelector<HTMLElement>(
      `[data-testid="message"][data-seq="${jump.seq}"]`,
    );
    if (!target) return;
    scrolledJump.current = jump;
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    // The next render must not pin the view back to the bottom.
    if (scroller.current) previous.current.isAtBottom = isNearBottom(scroller.current);
  });

  useEffect(() => {
    if (!jump) return;
    const timer = setTimeout(() => setJump(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [jump]);

  function showAndHighlight(seq: number) {
    void client.showMessage(conversationId, seq).then((isHeld) => {
      if (isHeld) setJump({ seq });
    });
  }

  // A jump asked before the conversation is held (opened from a search result) waits for it.
  const isHeld = thread !== undefined;
  const waitingJump = useRef<JumpRequest | null>(null);
  useEffect(() => {
    if (jumpTo) waitingJump.current = jumpTo;
  }, [jumpTo]);
  useEffect(() => {
    if (jumpFromAddress) waitingJump.current = jumpFromAddress;
  }, [jumpFromAddress]);
  useEffect(() => {
    const request = waitingJump.current;
    if (!isHeld || !request) return;
    waitingJump.current = null;
    showAndHighlight(request.seq);
    // Only a new request, or the thread arriving, jumps; the function is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jumpTo, jumpFromAddress, isHeld]);

  const handlers: MessageItemHandlers = {
    onReply,
    onEdit,
    onInfo: (seq) => setInfoSeq(seq),
    onForward: (message: Message) => setForwardSource({ conversationId, seqs: [message.seq] }),
    onSelect: (message: Message) => setSelected([message.seq]),
    onDelete: (message: Message, canDeleteForEveryone: boolean) =>
      setDeleteRequest({
        canDeleteForEveryone,
        onDelete: (scope) => client.deleteMessage(conversationId, message.seq, scope),
      }),
    onJump: showAndHighlight,
    onReport: (message: Message, senderName: string) =>
      setReportRequest({ target: { conversationId, seq: message.seq }, name: senderName }),
  };

  function toggleSelected(seq: number, isChosen: boolean) {
    setSelected((current) =>
      current === null
        ? current
        : isChosen
          ? [...current.filter((item) => item !== seq), seq]
          : current.filter((item) => item !== seq),
    );
  }

  // Messages beyond the read marker have not been on screen yet: they wait below.
  const newCount = summary?.unreadCount ?? 0;
  /** The local day of the message shown last: a message of another day gets a separator. */
  let shownDay: string | null = null;
  /** The sender of the message shown last, when it was a person's: the next of theirs joins it. */
  let runSender: string | null = null;
  let isUnreadDividerShown = false;
  const rendered = messages?.map((message) => {
    // Deleted for the viewer alone: held (it keeps its place in the order), not shown.
    if (message.isHidden) return null;
    const day = localDay(message.createdAt);
    const separator = day !== shownDay && (
      <li key={`day-${day}`} className={styles.day} data-testid="day-separator">
        <span>{formatDay(message.createdAt)}</span>
      </li>
    );
    shownDay = day;
    const isFirstUnread =
      unreadAtOpen !== null &&
      !isUnreadDividerShown &&
      message.kind === 'text' &&
      message.seq > unreadAtOpen.afterSeq &&
      message.senderId !== meId;
    if (isFirstUnread) isUnreadDividerShown = true;
    const unreadDivider = isFirstUnread && (
      <li key="unread" className={styles.unread} data-testid="unread-divider">
        <span>
          {unreadAtOpen.count} unread {unreadAtOpen.count === 1 ? 'message' : 'messages'}
        </span>
      </li>
    );
    const isFollowUp = !separator && !unreadDivider && runSender === message.senderId;
    runSender = message.kind === 'system' ? null : message.senderId;
    if (message.kind === 'system') {
      return [
        separator,
        <li
          key={message.id}
          className={styles.system}
          data-testid="system-message"
          data-message-id={message.id}
          data-seq={message.seq}
        >
          <span>{message.body}</span>
        </li>,
      ];
    }
    return [
      separator,
      unreadDivider,
      <li
        key={message.id}
        className={isFollowUp ? styles.item : `${styles.item} ${styles.runStart}`}
        data-message-id={message.id}
      >
        {selected !== null && isForwardable(message) && (
          <label className={styles.choose}>
            <input
              type="checkbox"
              checked={selected.includes(message.seq)}
              onChange={(event) => toggleSelected(message.seq, event.target.checked)}
            />
            <span className="visually-hidden">Select: {message.body.slice(0, 40)}</span>
          </label>
        )}
        <MessageItem
          message={message}
          thread={thread}
          summary={summary}
          isHighlighted={jump?.seq === message.seq}
          isFollowUp={isFollowUp}
          handlers={handlers}
        />
        {infoSeq === message.seq && (
          <MessageInfo
            conversationId={conversationId}
            seq={message.seq}
            onClose={() => setInfoSeq(null)}
          />
        )}
      </li>,
    ];
  });
  /** Whether the first message not sent yet starts a new day. */
  const hasPendingSeparator = pending.length > 0 && shownDay !== localDay(pending[0]!.createdAt);
  /** A message not sent yet joins the run above it: the one before it, or one's own last sent. */
  const isPendingFollowUp = (index: number) =>
    index > 0 || (!hasPendingSeparator && runSender === meId);
  return (
    <div
      className={styles.frame}
      onKeyDown={(event) => {
        if (selected !== null && event.key === 'Escape') setSelected(null);
      }}
    >
      {selected !== null && (
        <div className={styles.selectionBar} role="toolbar" aria-label="Selected messages">
          <span data-testid="selected-count">{selected.length} selected</span>
          <button
            type="button"
            className={controls.primaryButton}
            disabled={selected.length === 0 || selected.length > FORWARD_MESSAGES_MAX}
            onClick={() => {
              setForwardSource({ conversationId, seqs: [...selected].sort((a, b) => a - b) });
              setSelected(null);
            }}
          >
            Forward
          </button>
          <button type="button" className={controls.quietButton} onClick={() => setSelected(null)}>
            Cancel
          </button>
        </div>
      )}
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
            {rendered}
            {hasPendingSeparator && (
              <li className={styles.day} data-testid="day-separator">
                <span>{formatDay(pending[0]!.createdAt)}</span>
              </li>
            )}
            {pending.map((message, index) => (
              <li
                key={message.clientMsgId}
                className={
                  isPendingFollowUp(index) ? styles.item : `${styles.item} ${styles.runStart}`
                }
              >
                <MessageBubble
                  body={message.body}
                  createdAt={message.createdAt}
                  isMine
                  isFollowUp={isPendingFollowUp(index)}
                  status={message.status}
                  quote={
                    message.replyToSeq === undefined
                      ? undefined
                      : quoteOf(
                          message.replyToSeq,
                          undefined,
                          heldOriginal(thread, message.replyToSeq),
                          meId,
                        )
                  }
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
      {!isAtBottom && (
        <button
          type="button"
          className={newCount > 0 ? styles.jumpWithCount : styles.jump}
          onClick={scrollToLatest}
          aria-label={
            newCount > 0
              ? `${newCount} new ${newCount === 1 ? 'message' : 'messages'}: scroll to the latest`
              : 'Scroll to the latest message'
          }
          data-testid="jump-to-latest"
        >
          {newCount > 0 && <span>{newCount} new</span>}
          <span aria-hidden="true">↓</span>
        </button>
      )}
      <DeleteMessageDialog request={deleteRequest} onDone={() => setDeleteRequest(null)} />
      <ForwardDialog source={forwardSource} onDone={() => setForwardSource(null)} />
      <ReportDialog request={reportRequest} onDone={() => setReportRequest(null)} />
    </div>
  );
}

/** What a selection may take: text that is there to copy (not deleted, not a system line). */
function isForwardable(message: Message): boolean {
  return message.kind === 'text' && !message.deleted && !message.isHidden;
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

/**
 * Whether the reader was at the bottom before this render: where they are scrolled to now,
 * against the content's height at the last commit. A scroll made since then counts even if its
 * scroll event has not run yet (a render that lands in between must not pull them back down).
 */
function wasAtBottom(
  element: HTMLElement,
  before: { isAtBottom: boolean; scrollHeight: number },
): boolean {
  if (before.scrollHeight === 0) return before.isAtBottom;
  return before.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
}

function isNearBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
}
