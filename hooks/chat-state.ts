// The browser's chat state and the pure functions that update it. No I/O here, so every rule
// (dedupe by id, order by seq, unread counts) can be unit-tested.

import {
  PREVIEW_MAX_CODE_POINTS,
  truncateCodePoints,
  type ClientLimits,
  type ConversationSummary,
  type Message,
  type UserSummary,
} from '../protocol';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** A message this device composed that the server has not acknowledged yet. */
export interface PendingMessage {
  clientMsgId: string;
  conversationId: string;
  body: string;
  createdAt: string;
  /** 'sending': queued or in flight, retried automatically. 'failed': refused by the server. */
  status: 'sending' | 'failed';
  error?: string;
}

export interface Thread {
  /** Acknowledged messages: unique by id, ascending by seq. */
  messages: Message[];
  hasMoreBefore: boolean;
  isLoadingOlder: boolean;
  /** The newest page has been fetched at least once. */
  isLoaded: boolean;
}

export interface ChatState {
  connection: ConnectionState;
  me: UserSummary;
  limits: ClientLimits;
  /** Most recent activity first. */
  conversations: ConversationSummary[];
  isListLoaded: boolean;
  threads: Record<string, Thread>;
  /** The outbox, in the order the messages were composed. */
  pending: PendingMessage[];
  activeConversationId: string | null;
  /** The server ended this session (signed out elsewhere, or expired). */
  isSessionEnded: boolean;
}

export const EMPTY_THREAD: Thread = {
  messages: [],
  hasMoreBefore: false,
  isLoadingOlder: false,
  isLoaded: false,
};

/** Merges messages into a sorted list: de-duplicated by id, ordered by seq, never by clock. */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return existing;
  const last = existing.at(-1);
  // The common case, one new message after the newest: append without re-sorting.
  if (incoming.length === 1 && (!last || incoming[0]!.seq > last.seq)) {
    return [...existing, incoming[0]!];
  }
  const byId = new Map<number, Message>();
  for (const message of existing) byId.set(message.id, message);
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Most recent activity first. Returns `list` itself when it is already in order. */
export function sortConversations(list: ConversationSummary[]): ConversationSummary[] {
  const sorted = [...list].sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
  return sorted.every((item, index) => item === list[index]) ? list : sorted;
}

/** The summary after `message` arrived: newer preview, unread count, position in the list. */
export function applyMessageToSummary(
  summary: ConversationSummary,
  message: Message,
  meId: string,
): ConversationSummary {
  if (message.seq <= summary.lastSeq && summary.lastMessage) return summary;
  const readSeq =
    message.senderId === meId ? Math.max(summary.readSeq, message.seq) : summary.readSeq;
  const lastSeq = Math.max(summary.lastSeq, message.seq);
  return {
    ...summary,
    lastSeq,
    readSeq,
    unreadCount: Math.max(0, lastSeq - readSeq),
    lastActivityAt: message.createdAt,
    lastMessage: {
      seq: message.seq,
      senderId: message.senderId,
      kind: message.kind,
      body: truncateCodePoints(message.body, PREVIEW_MAX_CODE_POINTS),
      createdAt: message.createdAt,
    },
  };
}

/** The summary after the viewer's read marker moved to `readSeq` (on any of their devices). */
export function applyReadToSummary(
  summary: ConversationSummary,
  readSeq: number,
): ConversationSummary {
  if (readSeq <= summary.readSeq) return summary;
  return { ...summary, readSeq, unreadCount: Math.max(0, summary.lastSeq - readSeq) };
}

export function replaceConversation(
  list: ConversationSummary[],
  summary: ConversationSummary,
): ConversationSummary[] {
  return sortConversations([...list.filter((item) => item.id !== summary.id), summary]);
}
