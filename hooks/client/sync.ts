// Cursor sync, the delivery guarantee of docs/api.md: per conversation, page forward from the
// device's cursor on every connect and on any seq gap, start a conversation first seen from
// its newest page, and report delivery once a burst has settled. Changes to messages (edits,
// deletions, reactions) follow the same rule with a second cursor: fetched beyond it on every
// connect and on any gap, applied directly when a push follows on from it. It knows only a
// request function and sinks that hold the messages, so the app (a zustand store and
// IndexedDB) and the benchmark's simulated clients (a counter each, thousands per process, no
// changes) run this same code.

import {
  CHANGES_PAGE_MAX,
  ClientEvent,
  deliveryReportDelayMs,
  ErrorCode,
  HISTORY_PAGE_MAX,
  LIST_CURSORS_MAX,
  type CatchUpPage,
  type ConversationSummary,
  type ListCursor,
  type Message,
  type MessageChanges,
} from '../../protocol';
import { placeOfChange } from '../message-changes';
import type { Notify, Request } from './transport';

export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
}

/** Whoever holds the messages: what sync asks of it and hands to it. */
export interface SyncSink {
  /** The cursor (every seq up to it is held) of a held conversation; undefined if not held. */
  cursorOf(conversationId: string): number | undefined;
  /** The newest seq the device has heard of; undefined to page until the server has no more. */
  lastSeqOf(conversationId: string): number | undefined;
  /**
   * Delivery is recorded up to here, as the server last said (the conversation list at each
   * connect); undefined when nothing is to be reported.
   */
  deliveredSeqOf(conversationId: string): number | undefined;
  /** For the delivery report's delay: big groups wait longer (protocol/limits.ts). */
  memberCountOf(conversationId: string): number;
  /**
   * The cursors of the conversations held, the most recently active first, at most `max`:
   * sent with the list, whose answer carries the first page past each one that has news.
   */
  heldCursors(max: number): ListCursor[];
  /** The conversation list arrived; returns the conversations to bring up to date now. */
  acceptList(conversations: ConversationSummary[]): string[];
  /**
   * A conversation first seen now is held from here on, starting with its newest page.
   * `changeSeq`: its change counter as known before the page was asked for (the change cursor
   * to start from, for a sink that follows changes).
   */
  holdNewest(conversationId: string, page: HistoryPage, changeSeq: number): void;
  /**
   * Messages that continue a held conversation: a push, an ack or a forward page. The sink
   * de-duplicates by id, moves the cursor over what it holds without a gap, and keeps (or
   * drops) what lies beyond a gap; sync fetches the gap.
   */
  addForward(conversationId: string, messages: Message[]): void;
  /** Resolves once everything added is stored: only stored messages are reported delivered. */
  whenStored(conversationId: string): Promise<void>;
}

/** Changed messages, or one pushed as it happened (message:changed). */
export type ChangesPage = Omit<MessageChanges, 'hasMore'>;
export type ChangesPush = ChangesPage & { previousChangeSeq: number };

/** Whoever holds the messages and follows their changes (the app; the benchmark does not). */
export interface ChangeSink {
  /** The change cursor of a held conversation; undefined if not held. */
  changeCursorOf(conversationId: string): number | undefined;
  /** The newest change seq the device has heard of; undefined to page until there are no more. */
  lastChangeSeqOf(conversationId: string): number | undefined;
  /**
   * Whether the sink can apply these changes exactly, its unread count included. False when
   * one may lower the count and the sink cannot tell by how much: the changes are then
   * fetched again, as after a gap, and the last page brings the server's count.
   */
  canCountChanges(conversationId: string, messages: Message[]): boolean;
  /**
   * Changed messages in their current state. The sink applies each one newer than what it
   * holds, notes that changes up to `changes.changeSeq` exist, and moves the change cursor
   * there only when `movesCursor` (the changes follow on from it without a gap). A last page
   * carries the server's unread count (`changes.unread`), which takes the place of the sink's.
   */
  applyChanges(conversationId: string, changes: ChangesPage, movesCursor: boolean): void;
}

export interface SyncOptions {
  request: Request;
  /** Sends the delivery reports, which need no answer. */
  notify: Notify;
  isConnected: () => boolean;
  sink: SyncSink;
  /** Follow changes to messages too; without, only new messages are synced. */
  changes?: ChangeSink;
  /** Report delivery (two ticks); the benchmark can measure without. */
  reportsDelivery?: boolean;
}

/** The newest page of a conversation first seen; also the page size of scrolling back. */
export const NEWEST_PAGE = 50;
const FORWARD_PAGE = HISTORY_PAGE_MAX;
/** Conversations synced at the same time after a reconnect. */
const SYNC_CONCURRENCY = 4;

export class ConversationSync {
  private readonly request: Request;
  private readonly notify: Notify;
  private readonly isConnected: () => boolean;
  private readonly sink: SyncSink;
  private readonly changes: ChangeSink | undefined;
  private readonly reportsDelivery: boolean;
  private readonly runs = new Map<string, { again: boolean; done: Promise<boolean> }>();
  private readonly reportTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /**
   * What this connection has reported delivered, per conversation. A report has no answer: one
   * lost with its connection shows at the next connect, in the list's deliveredSeq (the server's
   * marker), which syncAll then takes instead of these.
   */
  private readonly reported = new Map<string, number>();

  constructor(options: SyncOptions) {
    this.request = options.request;
    this.notify = options.notify;
    this.isConnected = options.isConnected;
    this.sink = options.sink;
    this.changes = options.changes;
    this.reportsDelivery = options.reportsDelivery ?? true;
  }

  /** A message from a push or an ack. A seq beyond the cursor means some were missed. */
  receive(message: Message): void {
    const { conversationId } = message;
    if (this.sink.cursorOf(conversationId) === undefined) {
      // The first message this device sees of the conversation: hold it from now on.
      void this.sync(conversationId, { startHolding: true });
      return;
    }
    this.sink.addForward(conversationId, [message]);
    if ((this.sink.cursorOf(conversationId) ?? 0) < message.seq) void this.sync(conversationId);
    else this.scheduleDeliveryReport(conversationId);
  }

  /**
   * Changes pushed as they happened (message:changed), or acknowledged to this device: applied
   * when they follow on from the change cursor, ignored when the device has them, and
   * fetched from the cursor on when some were missed or the sink cannot count them (shown at
   * once all the same: applying a state that is not newer than the one held changes nothing).
   */
  receiveChanges(push: ChangesPush): void {
    const changes = this.changes;
    if (!changes) return;
    const { conversationId, messages, changeSeq, previousChangeSeq } = push;
    const page = { conversationId, messages, changeSeq };
    const cursor = changes.changeCursorOf(conversationId);
    // Not held: only the conversation list is touched; holding starts from a fresh page.
    if (cursor === undefined) return changes.applyChanges(conversationId, page, false);
    const place = placeOfChange(cursor, { changeSeq, previousChangeSeq });
    if (place === 'ignore') return;
    const followsOn = place === 'apply' && changes.canCountChanges(conversationId, messages);
    changes.applyChanges(conversationId, page, followsOn);
    if (!followsOn) void this.sync(conversationId);
  }

  /**
   * After every connect: the list, then each conversation it names for syncing, a few at a
   * time. False when something could not be fetched (the next connect or gap tries again).
   */
  async syncAll(): Promise<boolean> {
    let cursors = this.sink.heldCursors(LIST_CURSORS_MAX);
    let response = await this.request(
      ClientEvent.ConversationList,
      cursors.length > 0 ? { cursors } : {},
    );
    // A node of the previous version, during a rolling upgrade, takes no cursors: ask it plainly.
    if (!response.ok && response.code === ErrorCode.BadRequest && cursors.length > 0) {
      cursors = [];
      response = await this.request(ClientEvent.ConversationList, {});
    }
    if (!response.ok) return false;
    this.reported.clear();
    const queue = this.sink.acceptList(response.conversations);
    const caughtUp = this.acceptPages(cursors, response.pages ?? []);
    let isComplete = true;
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const isPaged = caughtUp.has(id);
        if (!(await this.sync(id, { startHolding: true, isPaged }))) isComplete = false;
      }
    };
    await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
    return isComplete;
  }

  /**
   * The pages that came with the list, each the first page past the cursor sent, added as a
   * forward page of message:history would be. Returns the conversations they brought up to
   * date as of the list (no more past them; what comes later is pushed): their sync asks for
   * no page. One whose cursor is no longer the one sent (the thread was let go meanwhile) is
   * left to its sync.
   */
  private acceptPages(cursors: ListCursor[], pages: CatchUpPage[]): Set<string> {
    const sent = new Map(cursors.map((cursor) => [cursor.conversationId, cursor.afterSeq]));
    const caughtUp = new Set<string>();
    for (const page of pages) {
      const { conversationId } = page;
      const afterSeq = sent.get(conversationId);
      const cursor = this.sink.cursorOf(conversationId);
      if (afterSeq === undefined || cursor === undefined || cursor < afterSeq) continue;
      this.sink.addForward(conversationId, page.messages);
      if (!page.hasMore) caughtUp.add(conversationId);
    }
    return caughtUp;
  }

  /**
   * Brings one conversation up to date; a call during a run makes it run once more. One the
   * device does not hold is left alone, unless `startHolding`: then it starts from its
   * newest page. `isPaged`: the list's page brought it up to date, so its first pass asks for
   * no page. Resolves false when a page could not be fetched.
   */
  sync(conversationId: string, { startHolding = false, isPaged = false } = {}): Promise<boolean> {
    if (!startHolding && this.sink.cursorOf(conversationId) === undefined) {
      return Promise.resolve(true);
    }
    const running = this.runs.get(conversationId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const run = { again: false, done: Promise.resolve(true) };
    run.done = (async () => {
      try {
        let isUpToDate: boolean;
        let isFirstPassPaged = isPaged;
        do {
          run.again = false;
          isUpToDate = await this.syncOnce(conversationId, isFirstPassPaged);
          isFirstPassPaged = false;
        } while (run.again && this.isConnected());
        return isUpToDate;
      } finally {
        this.runs.delete(conversationId);
      }
    })();
    this.runs.set(conversationId, run);
    return run.done;
  }

  /** Whether a sync or a delivery report of the conversation is still to come. */
  isBusy(conversationId: string): boolean {
    return this.runs.has(conversationId) || this.reportTimers.has(conversationId);
  }

  /** The user is no longer in the conversation: nothing more is reported for it. */
  forget(conversationId: string): void {
    clearTimeout(this.reportTimers.get(conversationId));
    this.reportTimers.delete(conversationId);
    this.reported.delete(conversationId);
  }

  stop(): void {
    for (const timer of this.reportTimers.values()) clearTimeout(timer);
    this.reportTimers.clear();
  }

  private async syncOnce(conversationId: string, isPaged: boolean): Promise<boolean> {
    if (!isPaged) {
      if (!(await this.pageForward(conversationId))) return false;
    }
    this.scheduleDeliveryReport(conversationId);
    return this.syncChanges(conversationId);
  }

  /** Pages from the cursor (or the newest page) until the newest seq. False on a failure. */
  private async pageForward(conversationId: string): Promise<boolean> {
    if (this.sink.cursorOf(conversationId) === undefined) {
      // Read before asking: a change made while the page travels is fetched again, not lost.
      const changeSeq = this.changes?.lastChangeSeqOf(conversationId) ?? 0;
      const page = await this.request(ClientEvent.MessageHistory, {
        conversationId,
        limit: NEWEST_PAGE,
      });
      if (!page.ok) return false;
      this.sink.holdNewest(conversationId, page, changeSeq);
    }
    for (;;) {
      const cursor = this.sink.cursorOf(conversationId);
      if (cursor === undefined || cursor >= (this.sink.lastSeqOf(conversationId) ?? Infinity)) {
        break;
      }
      const page = await this.request(ClientEvent.MessageHistory, {
        conversationId,
        afterSeq: cursor,
        limit: FORWARD_PAGE,
      });
      if (!page.ok) return false;
      this.sink.addForward(conversationId, page.messages);
      if (!page.hasMore || page.messages.length === 0) break;
      // A page that did not move the cursor would be asked for again, forever.
      if ((this.sink.cursorOf(conversationId) ?? 0) <= cursor) break;
    }
    return true;
  }

  /** Pages through the changes beyond the change cursor until the server has no more. */
  private async syncChanges(conversationId: string): Promise<boolean> {
    const changes = this.changes;
    if (!changes) return true;
    for (;;) {
      const cursor = changes.changeCursorOf(conversationId);
      if (cursor === undefined || cursor >= (changes.lastChangeSeqOf(conversationId) ?? Infinity))
        return true;
      const response = await this.request(ClientEvent.MessageChanges, {
        conversationId,
        afterChangeSeq: cursor,
        limit: CHANGES_PAGE_MAX,
      });
      if (!response.ok) return false;
      const { hasMore, ...page } = response.changes;
      changes.applyChanges(conversationId, page, true);
      if (!hasMore) return true;
      // A page that did not move the cursor would be asked for again, forever.
      if ((changes.changeCursorOf(conversationId) ?? 0) <= cursor) return true;
    }
  }

  /** A burst is reported once, after a delay that grows with the group (protocol/limits.ts). */
  private scheduleDeliveryReport(conversationId: string): void {
    if (!this.reportsDelivery || this.reportTimers.has(conversationId)) return;
    this.reportTimers.set(
      conversationId,
      setTimeout(
        () => {
          this.reportTimers.delete(conversationId);
          void this.reportDelivery(conversationId);
        },
        deliveryReportDelayMs(this.sink.memberCountOf(conversationId)),
      ),
    );
  }

  /**
   * Two ticks mean a device has the message: report only what this device has stored, and only
   * beyond what the server has recorded and this connection has reported.
   */
  private async reportDelivery(conversationId: string): Promise<void> {
    await this.sink.whenStored(conversationId);
    const seq = this.sink.cursorOf(conversationId) ?? 0;
    const delivered = this.sink.deliveredSeqOf(conversationId);
    if (delivered === undefined) return;
    if (seq <= Math.max(delivered, this.reported.get(conversationId) ?? 0)) return;
    if (this.notify(ClientEvent.ConversationMarkDelivered, { conversationId, seq })) {
      this.reported.set(conversationId, seq);
    }
  }
}
