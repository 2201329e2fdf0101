'use client';
// A conversation's messages as a virtual list (react-virtuoso): only the rows near the view are
// in the DOM, whatever the device holds. It opens at the first unread message or the newest,
// keeps the reader's place when older pages go in above, and follows new messages only when the
// reader is at the bottom (or sent one).

import {
  forwardRef,
  memo,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type HTMLAttributes,
  type ReactNode,
} from 'react';
import {
  Virtuoso,
  type Components,
  type IndexLocationWithAlign,
  type ItemProps,
  type ListRange,
  type VirtuosoHandle,
} from 'react-virtuoso';
import { ArrowDown } from 'lucide-react';
import { FORWARD_MESSAGES_MAX, type ConversationSummary, type Message } from '../protocol';
import { hasMoreBefore, type Thread } from '../hooks/chat-state';
import { heldOriginal } from '../hooks/message-changes';
import { useChatClient, useChatState, useConversation, usePending } from '../hooks/use-chat';
import { DeleteMessageDialog, type DeleteRequest } from './delete-message-dialog';
import { ForwardDialog, type ForwardSource } from './forward-dialog';
import { ReportDialog, type ReportRequest } from './report-dialog';
import { MessageBubble } from './message-bubble';
import { MessageInfo } from './message-info';
import { MessageItem, quoteOf, type MessageItemHandlers } from './message-item';
import {
  buildRows,
  nextFirstIndex,
  rowIndexOfSeq,
  type Row,
  type UnreadAtOpen,
} from './message-rows';
import { useSeenMessages } from './use-seen-messages';
import controls from './controls.module.css';
import styles from './message-list.module.css';

/** Within this many pixels of the bottom, new messages keep the view pinned to the bottom. */
const STICK_TO_BOTTOM_PX = 120;
/** How far beyond the view, each way, rows are rendered ahead of the scroll. */
const RENDER_AHEAD_PX = 800;
/**
 * How many times a message jumped to, or the unread divider a chat opens at, is looked for in
 * view (the list asked again each time it is not there yet) before giving up: untilSettled.
 */
const SETTLE_ATTEMPTS = 6;
/** How long a message jumped to from a quote stays highlighted. */
const HIGHLIGHT_MS = 2_000;
/**
 * The index of the first row when the list opens. Older pages lower it (see nextFirstIndex); it
 * must stay positive, and no conversation is held on a device in more rows than this.
 */
const FIRST_INDEX = 1_000_000_000;

/** A message to bring into view; a new object each time, so the same message can be asked again. */
export interface JumpRequest {
  seq: number;
}

/** What the list's fixed parts (its header) show, given to them by the virtual list. */
interface ListContext {
  edge: string;
  /** The day of the first row: its separator heads the list. */
  firstDay: string | undefined;
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
  const [infoSeq, setInfoSeq] = useState<number | null>(null);
  const [isAtBottom, setIsAtBottom] = useState(true);
  const [deleteRequest, setDeleteRequest] = useState<DeleteRequest | null>(null);
  const [reportRequest, setReportRequest] = useState<ReportRequest | null>(null);
  const [forwardSource, setForwardSource] = useState<ForwardSource | null>(null);
  /** Messages chosen to forward together, by seq; null when not choosing. */
  const [selected, setSelected] = useState<number[] | null>(null);
  /** The message jumped to from a quote: highlighted a moment, scrolled to once it is held. */
  const [jump, setJump] = useState<{ seq: number } | null>(null);
  /** The day of the topmost row in view, shown over the list while that day's separator is not. */
  const [floatingDay, setFloatingDay] = useState<string | null>(null);
  const virtuoso = useRef<VirtuosoHandle>(null);
  /** The element that scrolls: state for the read marker's observer, which follows it. */
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  /** The same element, for what runs frames after the render that saw it (untilSettled). */
  const scrollerElement = useRef<HTMLElement | null>(null);
  /**
   * Where the unread messages began when the conversation opened, and how many there were: the
   * "N unread messages" divider stays there while it is open, as in WhatsApp.
   */
  const [unreadAtOpen] = useState<UnreadAtOpen | null>(() =>
    summary && summary.unreadCount > 0
      ? { afterSeq: summary.readSeq, count: summary.unreadCount }
      : null,
  );

  // Only what has been on screen is marked read (the client sends it when the tab is visible).
  useSeenMessages(scroller, (seq) => client.markSeen(conversationId, seq));

  const messages = thread?.messages;
  const rows = useMemo(
    () => buildRows(messages ?? [], pending, meId, unreadAtOpen),
    [messages, pending, meId, unreadAtOpen],
  );
  const dividerIndex = rows.findIndex((row) => row.kind === 'unread');
  /** The rows of the last commit, for what runs frames later. */
  const currentRows = useRef(rows);
  useLayoutEffect(() => {
    currentRows.current = rows;
  });

  // Rows put in above (an older page) lower the first index by as many: every row shown keeps
  // its index, and the list its place. Kept from render to render as React's "state from the
  // previous render".
  const [placement, setPlacement] = useState({ rows, firstIndex: FIRST_INDEX });
  let firstIndex = placement.firstIndex;
  if (placement.rows !== rows) {
    firstIndex = nextFirstIndex(placement, rows);
    setPlacement({ rows, firstIndex });
  }

  // Where the list opens, decided once, when the conversation is first held: at the unread
  // divider, else at the newest message.
  const [opening, setOpening] = useState<IndexLocationWithAlign | null>(null);
  // A thread still empty while the conversation has messages is being fetched: not yet.
  // One's own messages not sent yet are shown at once, whatever else is still coming.
  const isReady =
    pending.length > 0 || (thread !== undefined && (rows.length > 0 || !summary?.lastMessage));
  if (isReady && opening === null) {
    setOpening(
      dividerIndex >= 0
        ? { index: dividerIndex, align: 'start' }
        : { index: Math.max(0, rows.length - 1), align: 'end' },
    );
  }
  /**
   * The list is brought to the divider once: when it came in after the list opened (the unread
   * messages synced later), and when it opened there (see below).
   */
  const dividerShown = useRef(false);
  useEffect(() => {
    if (!opening || dividerIndex < 0 || dividerShown.current) return;
    dividerShown.current = true;
    // Once the first rows are measured (before, the list guessed their heights), and again a
    // few frames on until the divider is at the top: the list's own scroll to it could land
    // elsewhere while rows were still being measured (once, at the bottom). When the divider
    // is among the rows on screen, the view moves by what the page measures, not by the
    // list's guess. A message that arrives meanwhile ends it: the list follows it or not as
    // it follows any (`follow`), rather than being scrolled back up to the divider.
    const newestKey = currentRows.current.at(-1)?.key;
    untilSettled(() => {
      const view = scrollerElement.current;
      const index = currentRows.current.findIndex((row) => row.kind === 'unread');
      if (!view || index < 0 || currentRows.current.at(-1)?.key !== newestKey) return true;
      const divider = view.querySelector<HTMLElement>('[data-testid="unread-divider"]');
      if (!divider) {
        virtuoso.current?.scrollToIndex({ index, align: 'start' });
        return false;
      }
      const offset = divider.getBoundingClientRect().top - view.getBoundingClientRect().top;
      if (Math.abs(offset) < 1) return true;
      // Below the top with no more to scroll (a short list): as high as it goes. Done, so that
      // a message arriving next is followed, not scrolled away from.
      const room = view.scrollHeight - view.clientHeight - view.scrollTop;
      if (offset > 0 && room < 1) return true;
      view.scrollTop += offset;
      return false;
    });
  }, [opening, dividerIndex]);

  /** The last message of one's own that the list scrolled down to: each is followed once. */
  const followedSend = useRef<string | null>(null);
  function follow(atBottom: boolean): 'auto' | false {
    // The unread messages arriving: the list stops at their divider instead (effect above).
    if (dividerIndex >= 0 && !dividerShown.current) return false;
    const last = rows.at(-1);
    if (last?.kind === 'pending' && last.key !== followedSend.current) {
      followedSend.current = last.key;
      return 'auto';
    }
    return atBottom ? 'auto' : false;
  }

  // The message jumped to is brought to the middle of the view once it is among the rows, then
  // focused. Its page going in above moves the view after it (the list keeps the reader's
  // place, and an unread divider may be scrolled to): so it is asked again, a few frames on,
  // until the message is in view.
  function bringIntoView(seq: number) {
    untilSettled(() => {
      const view = scrollerElement.current;
      const target = view?.querySelector<HTMLElement>(`[data-testid="message"][data-seq="${seq}"]`);
      if (target && view && isWithin(target, view)) {
        target.focus({ preventScroll: true });
        return true;
      }
      const index = rowIndexOfSeq(currentRows.current, seq);
      if (index < 0) return true;
      virtuoso.current?.scrollToIndex({ index, align: 'center' });
      return false;
    });
  }

  const scrolledJump = useRef<{ seq: number } | null>(null);
  useEffect(() => {
    if (!jump || scrolledJump.current === jump) return;
    if (rowIndexOfSeq(rows, jump.seq) < 0) return;
    scrolledJump.current = jump;
    bringIntoView(jump.seq);
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

  // The rows keep one set of handlers (they are memoized); each call reaches this render's.
  const latest = useRef({ onReply, onEdit, showAndHighlight });
  useLayoutEffect(() => {
    latest.current = { onReply, onEdit, showAndHighlight };
  });
  const handlers = useMemo<MessageItemHandlers>(
    () => ({
      onReply: (seq) => latest.current.onReply(seq),
      onEdit: (seq) => latest.current.onEdit(seq),
      onInfo: (seq) => {
        setInfoSeq(seq);
        // It opens under the message: on the newest, below the view until brought up.
        afterListSettles(() =>
          document
            .querySelector(`[data-testid="message-info"]`)
            ?.scrollIntoView({ block: 'nearest' }),
        );
      },
      onForward: (message: Message) => setForwardSource({ conversationId, seqs: [message.seq] }),
      onSelect: (message: Message) => setSelected([message.seq]),
      onDelete: (message: Message, canDeleteForEveryone: boolean) =>
        setDeleteRequest({
          canDeleteForEveryone,
          onDelete: (scope) => client.deleteMessage(conversationId, message.seq, scope),
        }),
      onJump: (seq) => latest.current.showAndHighlight(seq),
      onReport: (message: Message, senderName: string) =>
        setReportRequest({ target: { conversationId, seq: message.seq }, name: senderName }),
    }),
    [client, conversationId],
  );

  const toggleSelected = useMemo(
    () => (seq: number, isChosen: boolean) =>
      setSelected((current) =>
        current === null
          ? current
          : isChosen
            ? [...current.filter((item) => item !== seq), seq]
            : current.filter((item) => item !== seq),
      ),
    [],
  );

  // Over the first row, the header shows its day; over a separator, the separator does.
  function onRangeChanged(range: ListRange) {
    const top = rows[range.startIndex - firstIndex];
    setFloatingDay(top && top.kind !== 'day' && range.startIndex > firstIndex ? top.day : null);
  }

  // Messages beyond the read marker have not been on screen yet: they wait below.
  const newCount = summary?.unreadCount ?? 0;
  const edge = !thread
    ? 'Loading messages…'
    : thread.isLoadingOlder
      ? 'Loading older messages…'
      : hasMoreBefore(thread)
        ? ''
        : 'This is the beginning of the conversation.';
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
      {opening === null ? (
        <div className={styles.messages} data-testid="message-scroller">
          <p className={styles.edge}>{edge}</p>
        </div>
      ) : (
        <Virtuoso<Row, ListContext>
          ref={virtuoso}
          className={styles.messages}
          data={rows}
          context={{ edge, firstDay: rows[0]?.day }}
          firstItemIndex={firstIndex}
          initialTopMostItemIndex={opening}
          computeItemKey={(_, row) => row.key}
          components={LIST_PARTS}
          increaseViewportBy={{ top: RENDER_AHEAD_PX, bottom: RENDER_AHEAD_PX }}
          alignToBottom
          followOutput={follow}
          atBottomThreshold={STICK_TO_BOTTOM_PX}
          atBottomStateChange={setIsAtBottom}
          startReached={() => void client.loadOlder(conversationId)}
          rangeChanged={onRangeChanged}
          scrollerRef={(element) => {
            const found = element instanceof HTMLElement ? element : null;
            scrollerElement.current = found;
            setScroller(found);
          }}
          itemContent={(_, row) => (
            <RowView
              row={row}
              thread={thread}
              summary={summary}
              meId={meId}
              isHighlighted={jump !== null && rowSeq(row) === jump.seq}
              choosing={
                selected === null || row.kind !== 'message' || !isForwardable(row.message)
                  ? null
                  : selected.includes(row.message.seq)
              }
              isInfoOpen={infoSeq !== null && rowSeq(row) === infoSeq}
              handlers={handlers}
              onChoose={toggleSelected}
              onCloseInfo={() => setInfoSeq(null)}
            />
          )}
        />
      )}
      {floatingDay !== null && (
        <p className={styles.floatingDay} aria-hidden="true" data-testid="floating-day">
          <span>{floatingDay}</span>
        </p>
      )}
      {!isAtBottom && (
        <button
          type="button"
          className={newCount > 0 ? styles.jumpWithCount : styles.jump}
          onClick={() => virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' })}
          aria-label={
            newCount > 0
              ? `${newCount} new ${newCount === 1 ? 'message' : 'messages'}: scroll to the latest`
              : 'Scroll to the latest message'
          }
          data-testid="jump-to-latest"
        >
          {newCount > 0 && <span>{newCount} new</span>}
          <ArrowDown aria-hidden="true" size={20} />
        </button>
      )}
      <DeleteMessageDialog request={deleteRequest} onDone={() => setDeleteRequest(null)} />
      <ForwardDialog source={forwardSource} onDone={() => setForwardSource(null)} />
      <ReportDialog request={reportRequest} onDone={() => setReportRequest(null)} />
    </div>
  );
}

/** Whether the element is on screen within the scroller (some of it, vertically). */
function isWithin(element: HTMLElement, scroller: HTMLElement): boolean {
  const box = element.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  return box.bottom > view.top && box.top < view.bottom;
}

/**
 * Runs `act` two frames from now: rows put in above move the view in the next frame (the
 * virtual list keeps the reader's place), and a scroll asked before would be undone by it.
 * Rows may change meanwhile, so `act` finds its row then.
 */
function afterListSettles(act: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(act));
}

/**
 * Runs `step` once the list settles, and again each time it settles after, until `step` says
 * it is done (or SETTLE_ATTEMPTS times): for what the list's own scroll may not reach at once.
 */
function untilSettled(step: () => boolean, attemptsLeft = SETTLE_ATTEMPTS): void {
  afterListSettles(() => {
    if (!step() && attemptsLeft > 1) untilSettled(step, attemptsLeft - 1);
  });
}

interface RowViewProps {
  row: Row;
  thread: Thread | undefined;
  summary: ConversationSummary | undefined;
  meId: string;
  isHighlighted: boolean;
  /** Choosing messages to forward: whether this one is chosen; null when it cannot be. */
  choosing: boolean | null;
  isInfoOpen: boolean;
  handlers: MessageItemHandlers;
  onChoose: (seq: number, isChosen: boolean) => void;
  onCloseInfo: () => void;
}

/**
 * What one row shows. Memoized: scrolling renders the rows it brings into view, and a new
 * message or receipt re-renders only the rows it changes.
 */
const RowView = memo(function RowView({
  row,
  thread,
  summary,
  meId,
  isHighlighted,
  choosing,
  isInfoOpen,
  handlers,
  onChoose,
  onCloseInfo,
}: RowViewProps): ReactNode {
  switch (row.kind) {
    case 'day':
      return <span>{row.day}</span>;
    case 'unread':
      return (
        <span>
          {row.count} unread {row.count === 1 ? 'message' : 'messages'}
        </span>
      );
    case 'system':
      return <span>{row.message.body}</span>;
    case 'message': {
      const { message } = row;
      return (
        <>
          {choosing !== null && (
            <label className={styles.choose}>
              <input
                type="checkbox"
                checked={choosing}
                onChange={(event) => onChoose(message.seq, event.target.checked)}
              />
              <span className="visually-hidden">Select: {message.body.slice(0, 40)}</span>
            </label>
          )}
          <MessageItem
            message={message}
            thread={thread}
            summary={summary}
            isHighlighted={isHighlighted}
            isFollowUp={row.isFollowUp}
            handlers={handlers}
          />
          {isInfoOpen && (
            <MessageInfo
              conversationId={message.conversationId}
              seq={message.seq}
              onClose={onCloseInfo}
            />
          )}
        </>
      );
    }
    case 'pending':
      return <PendingRow row={row} thread={thread} meId={meId} />;
  }
}, isSameRowView);

function PendingRow({
  row,
  thread,
  meId,
}: {
  row: Extract<Row, { kind: 'pending' }>;
  thread: Thread | undefined;
  meId: string;
}) {
  const client = useChatClient();
  const { message } = row;
  return (
    <>
      <MessageBubble
        body={message.body}
        createdAt={message.createdAt}
        isMine
        isFollowUp={row.isFollowUp}
        status={message.status}
        quote={
          message.replyToSeq === undefined
            ? undefined
            : quoteOf(message.replyToSeq, undefined, heldOriginal(thread, message.replyToSeq), meId)
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
    </>
  );
}

/** Rows are rebuilt on every change of the thread: one that shows the same is not rendered again. */
function isSameRowView(before: RowViewProps, after: RowViewProps): boolean {
  if (
    before.summary !== after.summary ||
    before.meId !== after.meId ||
    before.isHighlighted !== after.isHighlighted ||
    before.choosing !== after.choosing ||
    before.isInfoOpen !== after.isInfoOpen ||
    before.handlers !== after.handlers ||
    !isSameRow(before.row, after.row)
  ) {
    return false;
  }
  // The thread matters only to a reply: the original it quotes may have changed.
  const quoted = quotedSeq(after.row);
  return (
    quoted === undefined ||
    heldOriginal(before.thread, quoted) === heldOriginal(after.thread, quoted)
  );
}

function isSameRow(before: Row, after: Row): boolean {
  if (before.kind !== after.kind || before.key !== after.key || before.day !== after.day) {
    return false;
  }
  switch (after.kind) {
    case 'day':
      return true;
    case 'unread':
      return after.count === (before as typeof after).count;
    case 'system':
      return after.message === (before as typeof after).message;
    case 'message':
    case 'pending':
      return (
        after.message === (before as typeof after).message &&
        after.isFollowUp === (before as typeof after).isFollowUp &&
        after.isRunStart === (before as typeof after).isRunStart
      );
  }
}

function quotedSeq(row: Row): number | undefined {
  if (row.kind === 'message') return row.message.replyTo?.seq;
  if (row.kind === 'pending') return row.message.replyToSeq;
  return undefined;
}

function rowSeq(row: Row): number | undefined {
  return row.kind === 'message' || row.kind === 'system' ? row.message.seq : undefined;
}

/** What a selection may take: text that is there to copy (not deleted, not a system line). */
function isForwardable(message: Message): boolean {
  return message.kind === 'text' && !message.deleted && !message.isHidden;
}

/** Each row's list item: its look and what tests and the read marker find it by. */
function RowItem({
  item,
  children,
  context: _context,
  ...rest
}: ItemProps<Row> & { context?: ListContext }) {
  return (
    <li {...rest} {...rowAttributes(item)}>
      {children}
    </li>
  );
}

function rowAttributes(
  row: Row,
): HTMLAttributes<HTMLLIElement> & Record<`data-${string}`, unknown> {
  switch (row.kind) {
    case 'day':
      return { className: styles.day, 'data-testid': 'day-separator' };
    case 'unread':
      return { className: styles.unread, 'data-testid': 'unread-divider' };
    case 'system':
      return {
        className: styles.system,
        'data-testid': 'system-message',
        'data-message-id': row.message.id,
        'data-seq': row.message.seq,
      };
    case 'message':
      return { className: messageClass(row), 'data-message-id': row.message.id };
    case 'pending':
      return { className: messageClass(row) };
  }
}

function messageClass(row: { isRunStart: boolean }): string | undefined {
  return row.isRunStart ? `${styles.item} ${styles.runStart}` : styles.item;
}

/** The list itself: an ordered list inside a log region that announces new messages politely. */
const RowList = forwardRef<
  HTMLOListElement,
  HTMLAttributes<HTMLOListElement> & { context?: ListContext }
>(function RowList({ children, context: _context, ...rest }, ref) {
  return (
    <div role="log" aria-live="polite" aria-label="Messages">
      <ol {...rest} ref={ref} className={styles.list}>
        {children}
      </ol>
    </div>
  );
});

/** The element that scrolls: found by tests, and by the read marker as its root. */
const RowScroller = forwardRef<
  HTMLDivElement,
  HTMLAttributes<HTMLDivElement> & { context?: ListContext }
>(function RowScroller({ context: _context, ...rest }, ref) {
  return <div {...rest} ref={ref} data-testid="message-scroller" />;
});

/** Above the first row: whether there is more, and the first row's day. */
function ListEdge({ context }: { context?: ListContext }) {
  return (
    <>
      <p className={styles.edge}>{context?.edge}</p>
      {context?.firstDay !== undefined && (
        <p className={styles.day} data-testid="day-separator">
          <span>{context.firstDay}</span>
        </p>
      )}
    </>
  );
}

function ListEnd() {
  return <div className={styles.end} />;
}

const LIST_PARTS = {
  Scroller: RowScroller,
  List: RowList,
  Item: RowItem,
  Header: ListEdge,
  Footer: ListEnd,
} as unknown as Components<Row, ListContext>;
