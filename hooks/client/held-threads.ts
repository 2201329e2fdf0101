// The messages a device holds, per conversation: in the store for the screen and in the
// device store between page loads. This is the app's sink for sync (hooks/client/sync.ts),
// of new messages and of changes to them; it also restores the threads at start, fetches
// older pages when the reader scrolls up, and the history around a quoted message.

import {
  ClientEvent,
  HISTORY_PAGE_MAX,
  type ConversationSummary,
  type ListCursor,
  type Message,
} from '../../protocol';
import {
  addForward,
  addOlder,
  applyMessagesToList,
  applyUnreadPosition,
  changeSeqOf,
  findBySeq,
  hasMoreBefore,
  isNewerThanHeld,
  mergeSummary,
  olderPageFromStored,
  sortConversations,
  threadFromNewestPage,
  threadFromStored,
  type Thread,
} from '../chat-state';
import type { DeviceSnapshot, DeviceStore } from '../device-store';
import {
  applyChangesToSummary,
  applyChangesToThread,
  applyChangesToUnread,
  isUnreadUnknownAfter,
} from '../message-changes';
import { patchThread, summaryOf, update, updateSummary, type ChatStore } from './store';
import {
  NEWEST_PAGE,
  type ChangeSink,
  type ChangesPage,
  type HistoryPage,
  type SyncSink,
} from './sync';
import type { Request } from './transport';

export class HeldThreads implements SyncSink, ChangeSink {
  /** Pending writes per conversation: delivery is reported only for what is stored. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ChatStore,
    private readonly device: DeviceStore,
  ) {}

  // ---- what sync asks ------------------------------------------------------------------

  cursorOf(conversationId: string): number | undefined {
    return this.store.getState().threads[conversationId]?.syncedSeq;
  }

  lastSeqOf(conversationId: string): number | undefined {
    return summaryOf(this.store.getState(), conversationId)?.lastSeq;
  }

  deliveredSeqOf(conversationId: string): number | undefined {
    return summaryOf(this.store.getState(), conversationId)?.deliveredSeq;
  }

  memberCountOf(conversationId: string): number {
    return summaryOf(this.store.getState(), conversationId)?.memberCount ?? 2;
  }

  heldCursors(max: number): ListCursor[] {
    const { threads, conversations } = this.store.getState();
    const ids = new Set(conversations.map((item) => item.id).filter((id) => threads[id]));
    for (const id of Object.keys(threads)) ids.add(id);
    return [...ids]
      .slice(0, max)
      .map((conversationId) => ({ conversationId, afterSeq: threads[conversationId]!.syncedSeq }));
  }

  /**
   * Conversations this device holds are brought up to date; others only when they have
   * messages that no device of ours has received yet (to report them delivered).
   */
  acceptList(conversations: ConversationSummary[]): string[] {
    update(this.store, (state) => ({
      ...state,
      isListLoaded: true,
      conversations: sortConversations(
        conversations.map((fresh) => mergeSummary(fresh, summaryOf(state, fresh.id))),
      ),
    }));
    const { threads, conversations: list } = this.store.getState();
    for (const conversationId of Object.keys(threads)) this.refreshFromHeld(conversationId);
    return list
      .filter((item) => threads[item.id] || item.lastSeq > item.deliveredSeq)
      .map((item) => item.id);
  }

  holdNewest(conversationId: string, page: HistoryPage, changeSeq = 0): void {
    const held = this.store.getState().threads[conversationId];
    // Held meanwhile (a live message or another sync got there first): the page continues it.
    if (held) {
      this.addForward(conversationId, page.messages);
      return;
    }
    this.applyToSummaries(page.messages);
    update(this.store, (state) => ({
      ...state,
      threads: { ...state.threads, [conversationId]: threadFromNewestPage(page, changeSeq) },
    }));
    this.persist(conversationId, page.messages);
  }

  addForward(conversationId: string, messages: Message[]): void {
    const before = this.store.getState().threads[conversationId];
    if (!before) return;
    this.applyToSummaries(messages);
    const after = addForward(before, messages);
    if (after === before) return;
    patchThread(this.store, conversationId, () => after);
    this.persist(
      conversationId,
      messages.filter((message) => isNewerThanHeld(before.messages, message)),
    );
  }

  // ---- what change sync asks -----------------------------------------------------------

  changeCursorOf(conversationId: string): number | undefined {
    return this.store.getState().threads[conversationId]?.changeSeq;
  }

  lastChangeSeqOf(conversationId: string): number | undefined {
    // A summary stored before changes existed has none.
    const summary = summaryOf(this.store.getState(), conversationId);
    return summary && (summary.lastChangeSeq ?? 0);
  }

  canCountChanges(conversationId: string, messages: Message[]): boolean {
    const state = this.store.getState();
    const summary = summaryOf(state, conversationId);
    const thread = state.threads[conversationId];
    return !summary || !isUnreadUnknownAfter(summary, thread, messages, state.me.id);
  }

  applyChanges(conversationId: string, changes: ChangesPage, movesCursor: boolean): void {
    const { messages, changeSeq, unread } = changes;
    const before = this.store.getState().threads[conversationId];
    const after = before && applyChangesToThread(before, messages, movesCursor ? changeSeq : null);
    if (after && after !== before) patchThread(this.store, conversationId, () => after);
    const meId = this.store.getState().me.id;
    updateSummary(this.store, conversationId, (item) => {
      const changed = applyChangesToSummary(item, messages, changeSeq, after);
      // The server's count, on the last page of a sync, has every change up to it counted.
      return unread
        ? applyUnreadPosition(changed, unread)
        : applyChangesToUnread(changed, before, messages, meId);
    });
    // Every changed message is written, held in memory or not: one stored below the range in
    // memory is shown from the device later, and must show its current state then.
    if (after && (after !== before || messages.length > 0)) this.persist(conversationId, messages);
  }

  whenStored(conversationId: string): Promise<void> {
    return this.writes.get(conversationId) ?? Promise.resolve();
  }

  // ---- the app's own -------------------------------------------------------------------

  /** What the device stored: the list, and each conversation's newest page with its cursor. */
  restore(snapshot: DeviceSnapshot): void {
    update(this.store, (state) => {
      const threads = { ...state.threads };
      for (const stored of snapshot.threads) {
        const loaded = threadFromStored(stored, stored.messages);
        if (!loaded) continue;
        const held = threads[stored.conversationId];
        threads[stored.conversationId] = held ? addForward(loaded, held.messages) : loaded;
      }
      return {
        ...state,
        conversations: sortConversations(
          snapshot.conversations.map((cached) => summaryOf(state, cached.id) ?? cached),
        ),
        threads,
      };
    });
  }

  /** The page before the oldest held: from the device when it has it, else from the server. */
  async loadOlder(conversationId: string, request: Request): Promise<void> {
    const thread = this.store.getState().threads[conversationId];
    if (!thread || thread.isLoadingOlder || !hasMoreBefore(thread)) return;
    const beforeSeq = thread.oldestSeq;
    this.setLoadingOlder(conversationId, true);
    const stored = await this.device
      .loadOlder(conversationId, beforeSeq, NEWEST_PAGE)
      .catch(() => []);
    const local = olderPageFromStored(beforeSeq, stored);
    if (local) {
      this.addOlderPage(conversationId, beforeSeq, local);
      return;
    }
    const response = await request(ClientEvent.MessageHistory, {
      conversationId,
      beforeSeq,
      limit: NEWEST_PAGE,
    });
    if (!response.ok) {
      this.setLoadingOlder(conversationId, false);
      return;
    }
    this.addOlderPage(conversationId, beforeSeq, response);
    this.persist(conversationId, response.messages);
  }

  /**
   * Makes sure the message `seq` is held, to show it (a quote's original): the history around
   * it, then every page between it and what is held, so the held range stays one unbroken run.
   * False when the conversation is not held or a page could not be fetched.
   */
  async loadAround(conversationId: string, seq: number, request: Request): Promise<boolean> {
    const thread = this.store.getState().threads[conversationId];
    if (!thread) return false;
    if (seq >= thread.oldestSeq) return true;
    const beforeSeq = thread.oldestSeq;
    const around = await request(ClientEvent.MessageHistory, {
      conversationId,
      aroundSeq: seq,
      limit: NEWEST_PAGE,
    });
    if (!around.ok) return false;
    const messages = around.messages.filter((message) => message.seq < beforeSeq);
    const top = messages.at(-1)?.seq ?? seq;
    let lowest = beforeSeq;
    while (top < lowest - 1) {
      const page = await request(ClientEvent.MessageHistory, {
        conversationId,
        beforeSeq: lowest,
        limit: Math.min(HISTORY_PAGE_MAX, lowest - top - 1),
      });
      if (!page.ok) return false;
      const first = page.messages[0];
      if (!first) break;
      messages.push(...page.messages);
      lowest = first.seq;
    }
    messages.sort((a, b) => a.seq - b.seq);
    const first = messages[0];
    if (!first) return false;
    this.addOlderPage(conversationId, beforeSeq, { messages, hasMore: first.seq > 1 });
    this.persist(conversationId, messages);
    return (this.store.getState().threads[conversationId]?.oldestSeq ?? Infinity) <= seq;
  }

  /** The user is no longer in this conversation: nothing of it stays on the device. */
  forget(conversationId: string): void {
    // After any write under way, which would otherwise bring the thread back.
    const previous = this.writes.get(conversationId) ?? Promise.resolve();
    this.writes.delete(conversationId);
    void previous.then(() => this.device.deleteThread(conversationId)).catch(() => undefined);
  }

  /** Previews, unread counts and order of the list after these messages. */
  applyToSummaries(messages: Message[]): void {
    update(this.store, (state) => {
      const conversations = applyMessagesToList(state.conversations, messages, state.me.id);
      return conversations === state.conversations ? state : { ...state, conversations };
    });
  }

  /** Resolves once every write under way has ended. */
  async flush(): Promise<void> {
    await Promise.allSettled(this.writes.values());
  }

  /**
   * A summary from the server, checked against what the device holds: a list that left the
   * server before a change this device has applied (its cursor is past it, so sync will not
   * bring it again) must not put the old preview back.
   */
  private refreshFromHeld(conversationId: string): void {
    const state = this.store.getState();
    const thread = state.threads[conversationId];
    const summary = summaryOf(state, conversationId);
    if (!thread || !summary) return;
    const last = summary.lastMessage && findBySeq(thread.messages, summary.lastMessage.seq);
    if (!last || changeSeqOf(last) === 0) return;
    updateSummary(this.store, conversationId, (item) =>
      applyChangesToSummary(item, [last], 0, thread),
    );
  }

  private addOlderPage(conversationId: string, beforeSeq: number, page: HistoryPage): void {
    patchThread(this.store, conversationId, (current) =>
      // Only a page that ends where the thread begins keeps the range contiguous.
      current.oldestSeq === beforeSeq
        ? addOlder(current, page)
        : { ...current, isLoadingOlder: false },
    );
  }

  private setLoadingOlder(conversationId: string, isLoadingOlder: boolean): void {
    patchThread(this.store, conversationId, (current) =>
      current.isLoadingOlder === isLoadingOlder ? current : { ...current, isLoadingOlder },
    );
  }

  /** Stores new messages with the thread's cursor, in order per conversation. */
  private persist(conversationId: string, messages: Message[]): void {
    const thread: Thread | undefined = this.store.getState().threads[conversationId];
    if (!thread) return;
    const cursor = {
      conversationId,
      oldestSeq: thread.oldestSeq,
      syncedSeq: thread.syncedSeq,
      changeSeq: thread.changeSeq,
    };
    const previous = this.writes.get(conversationId) ?? Promise.resolve();
    const write = previous
      .then(() => this.device.saveThread(cursor, messages))
      .catch(() => undefined);
    this.writes.set(conversationId, write);
    void write.then(() => {
      if (this.writes.get(conversationId) === write) this.writes.delete(conversationId);
    });
  }
}
