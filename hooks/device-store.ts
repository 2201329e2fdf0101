// What a device keeps between page loads: its conversation list, the messages it holds with
// its cursor per conversation, the outbox of messages not yet acknowledged, and the drafts. Browsers use
// IndexedDB (hooks/indexeddb-store.ts); tests and browsers without IndexedDB use memory.

import type { ConversationSummary, Message } from '../protocol';
import { changeSeqOf, type PendingMessage } from './chat-state';

/**
 * The cursors of one conversation: the device holds every message from oldestSeq to
 * syncedSeq, with every change to them up to changeSeq applied.
 */
export interface ThreadCursor {
  conversationId: string;
  oldestSeq: number;
  syncedSeq: number;
  changeSeq: number;
}

export interface StoredThread extends ThreadCursor {
  /** The newest page of the range (at most the page size asked for), oldest first. */
  messages: Message[];
}

export interface DeviceSnapshot {
  conversations: ConversationSummary[];
  threads: StoredThread[];
  /** Oldest first. */
  outbox: PendingMessage[];
  /** What was typed and not sent, by conversation id. */
  drafts: Record<string, string>;
}

export interface DeviceStore {
  /**
   * What a start needs: the list, every cursor with the newest `pageSize` messages of its
   * range, and the outbox. Older messages stay stored until loadOlder asks for them.
   */
  load(pageSize: number): Promise<DeviceSnapshot>;
  /**
   * Up to `limit` stored messages of the conversation just below `beforeSeq`, oldest first,
   * from within the stored range only (empty when the device does not hold them).
   */
  loadOlder(conversationId: string, beforeSeq: number, limit: number): Promise<Message[]>;
  saveConversations(conversations: ConversationSummary[]): Promise<void>;
  /**
   * Adds messages (by id) and records the cursor, in one step. A message already stored in a
   * later state (a higher changeSeq) is kept: writes from tabs and pages may cross.
   */
  saveThread(cursor: ThreadCursor, messages: Message[]): Promise<void>;
  /** The outbox alone, oldest first (other tabs may have added to it). */
  loadOutbox(): Promise<PendingMessage[]>;
  /** Forgets one conversation's messages and cursor (the user is no longer in it). */
  deleteThread(conversationId: string): Promise<void>;
  putPending(message: PendingMessage): Promise<void>;
  deletePending(clientMsgId: string): Promise<void>;
  /** Keeps the conversation's draft; an empty one is forgotten. */
  saveDraft(conversationId: string, text: string): Promise<void>;
  /** Forgets everything: on sign-out, nothing of this account stays on the device. */
  clear(): Promise<void>;
}

export class MemoryDeviceStore implements DeviceStore {
  private conversations: ConversationSummary[] = [];
  private readonly threads = new Map<
    string,
    { cursor: ThreadCursor; messages: Map<number, Message> }
  >();
  private readonly outbox = new Map<string, PendingMessage>();
  private readonly drafts = new Map<string, string>();

  async load(pageSize: number): Promise<DeviceSnapshot> {
    return {
      conversations: [...this.conversations],
      threads: [...this.threads.values()].map(({ cursor, messages }) => ({
        ...cursor,
        messages: inRange(messages.values(), newestPageRange(cursor, pageSize)),
      })),
      outbox: [...this.outbox.values()].sort(compareOutbox),
      drafts: Object.fromEntries(this.drafts),
    };
  }

  async loadOlder(conversationId: string, beforeSeq: number, limit: number): Promise<Message[]> {
    const thread = this.threads.get(conversationId);
    const range = thread && olderPageRange(thread.cursor, beforeSeq, limit);
    return range ? inRange(thread.messages.values(), range) : [];
  }

  async saveConversations(conversations: ConversationSummary[]): Promise<void> {
    this.conversations = [...conversations];
  }

  async saveThread(cursor: ThreadCursor, messages: Message[]): Promise<void> {
    const thread = this.threads.get(cursor.conversationId) ?? { cursor, messages: new Map() };
    thread.cursor = mergeCursors(thread.cursor, cursor);
    for (const message of messages) {
      if (isNewerThanStored(thread.messages.get(message.id), message))
        thread.messages.set(message.id, message);
    }
    this.threads.set(cursor.conversationId, thread);
  }

  async loadOutbox(): Promise<PendingMessage[]> {
    return [...this.outbox.values()].sort(compareOutbox);
  }

  async deleteThread(conversationId: string): Promise<void> {
    this.threads.delete(conversationId);
  }

  async putPending(message: PendingMessage): Promise<void> {
    this.outbox.set(message.clientMsgId, message);
  }

  async deletePending(clientMsgId: string): Promise<void> {
    this.outbox.delete(clientMsgId);
  }

  async saveDraft(conversationId: string, text: string): Promise<void> {
    if (text === '') this.drafts.delete(conversationId);
    else this.drafts.set(conversationId, text);
  }

  async clear(): Promise<void> {
    this.conversations = [];
    this.threads.clear();
    this.outbox.clear();
    this.drafts.clear();
  }
}

/** Whether `message` may overwrite the copy stored under its id. */
export function isNewerThanStored(stored: Message | undefined, message: Message): boolean {
  return !stored || changeSeqOf(message) >= changeSeqOf(stored);
}

/**
 * Tabs of one browser share the store, so two cursors of one conversation meet here. Ranges
 * that touch or overlap join; otherwise the newer range wins, since a cursor must never claim
 * messages that nobody fetched. Joined ranges keep the higher change cursor: every change
 * either tab applied was written to the stored messages, and older states never overwrite
 * newer ones (isNewerThanStored).
 */
export function mergeCursors(stored: ThreadCursor | undefined, next: ThreadCursor): ThreadCursor {
  if (!stored || isEmptyRange(stored)) return next;
  if (isEmptyRange(next)) return stored;
  const touches = next.oldestSeq <= stored.syncedSeq + 1 && stored.oldestSeq <= next.syncedSeq + 1;
  if (!touches) return next.syncedSeq >= stored.syncedSeq ? next : stored;
  return {
    conversationId: next.conversationId,
    oldestSeq: Math.min(stored.oldestSeq, next.oldestSeq),
    syncedSeq: Math.max(stored.syncedSeq, next.syncedSeq),
    // A cursor stored before changes existed has seen none.
    changeSeq: Math.max(stored.changeSeq ?? 0, next.changeSeq),
  };
}

/** Seqs from `from` to `to`, both included. */
export interface SeqRange {
  from: number;
  to: number;
}

/** The newest `pageSize` seqs of a stored range; null when the range is empty. */
export function newestPageRange(cursor: ThreadCursor, pageSize: number): SeqRange | null {
  if (isEmptyRange(cursor)) return null;
  return {
    from: Math.max(cursor.oldestSeq, cursor.syncedSeq - pageSize + 1),
    to: cursor.syncedSeq,
  };
}

/** The `limit` seqs just below `beforeSeq` that the stored range holds; null when none. */
export function olderPageRange(
  cursor: ThreadCursor,
  beforeSeq: number,
  limit: number,
): SeqRange | null {
  const to = Math.min(beforeSeq - 1, cursor.syncedSeq);
  const from = Math.max(cursor.oldestSeq, beforeSeq - limit);
  return from <= to ? { from, to } : null;
}

function inRange(messages: Iterable<Message>, range: SeqRange | null): Message[] {
  if (!range) return [];
  return [...messages]
    .filter((message) => message.seq >= range.from && message.seq <= range.to)
    .sort((a, b) => a.seq - b.seq);
}

function isEmptyRange(cursor: ThreadCursor): boolean {
  return cursor.oldestSeq > cursor.syncedSeq;
}

/** Outbox order: when the messages were composed. */
export function compareOutbox(a: PendingMessage, b: PendingMessage): number {
  return (
    a.createdAt.localeCompare(b.createdAt) ||
    a.order - b.order ||
    a.clientMsgId.localeCompare(b.clientMsgId)
  );
}
