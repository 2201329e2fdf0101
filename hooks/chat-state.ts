// The browser's chat state and the pure functions that update it. No I/O here, so every rule
// (dedupe by id, order by seq, cursors, unread counts, ticks) can be unit-tested.

import {
  isArchivedNow,
  PREVIEW_MAX_CODE_POINTS,
  truncateCodePoints,
  type ClientLimits,
  type ConversationSummary,
  type GroupMember,
  type MembershipEnded,
  type Message,
  type MessagePreview,
  type Presence,
  type PrivacySettings,
  type Profile,
  type ReceiptUpdate,
  type UnreadPosition,
  type UserSummary,
} from '../protocol';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** A message this device composed that the server has not acknowledged yet: the outbox. */
export interface PendingMessage {
  clientMsgId: string;
  conversationId: string;
  body: string;
  createdAt: string;
  /** Breaks ties between messages composed in the same millisecond. */
  order: number;
  /** 'sending': queued or in flight, retried until acknowledged. 'failed': refused for good. */
  status: 'sending' | 'failed';
  error?: string;
  /** A reply: the seq of the message of the same conversation it quotes. */
  replyToSeq?: number;
}

/**
 * What the device holds of one conversation. Every message from oldestSeq through syncedSeq
 * is held (syncedSeq is the device's cursor); `messages` may also hold a few beyond a gap,
 * received live before the gap was filled. oldestSeq > syncedSeq means the range is empty.
 */
export interface Thread {
  messages: Message[];
  oldestSeq: number;
  syncedSeq: number;
  /**
   * The change cursor: every change (edit, deletion, reaction, hide) to a message of the
   * conversation up to this change seq has been applied to what the device holds.
   */
  changeSeq: number;
  isLoadingOlder: boolean;
}

/** Who is typing in one conversation, by user id: the name to show, until when (ms epoch). */
export type TypingInConversation = Record<string, { name: string; until: number }>;

export interface ChatState {
  connection: ConnectionState;
  me: UserSummary;
  isAdmin: boolean;
  limits: ClientLimits;
  /** Who sees the user's presence, and whether they send read receipts (session:ready). */
  privacy: PrivacySettings;
  /** What the device knows of the people the user chats with, by user id. */
  presence: Record<string, Presence>;
  /**
   * Profiles as the server last told them (people:get, user:updated), by user id: a name shown
   * on screen comes from here first, so that a change reaches every place that shows it.
   */
  people: Record<string, Profile>;
  /** The user's own display name and "about" (session:ready, profile:update). */
  profile: Profile;
  /** The people the user blocked (block:list, block:add, block:remove); null until loaded. */
  blocked: Profile[] | null;
  /** By conversation id. */
  typing: Record<string, TypingInConversation>;
  /** Members of the groups whose members were loaded, by conversation id. */
  members: Record<string, GroupMember[]>;
  /** Most recent activity first. */
  conversations: ConversationSummary[];
  isListLoaded: boolean;
  /** Conversations the device holds messages of, by id. */
  threads: Record<string, Thread>;
  /** The outbox, in the order the messages were composed. */
  pending: PendingMessage[];
  /** What the user typed in each conversation's composer and has not sent, by id. */
  drafts: Record<string, string>;
  activeConversationId: string | null;
  /** The server ended this session (signed out elsewhere, or expired). */
  isSessionEnded: boolean;
  /**
   * Sending too fast: the server asked to wait until then (ms epoch). Messages stay in the
   * outbox and go out by themselves afterwards. null once a send succeeds.
   */
  sendingPausedUntil: number | null;
  /**
   * The server cannot reach its database (a send was answered UNAVAILABLE): messages stay in
   * the outbox and are retried with backoff. false once a send succeeds.
   */
  isWaitingForServer: boolean;
}

/** A conversation followed from its very beginning that has no messages yet. */
export const EMPTY_THREAD: Thread = {
  messages: [],
  oldestSeq: 1,
  syncedSeq: 0,
  changeSeq: 0,
  isLoadingOlder: false,
};

export function hasMoreBefore(thread: Thread): boolean {
  return thread.oldestSeq > 1;
}

/**
 * Merges messages into a sorted list: de-duplicated by id, ordered by seq, never by clock.
 * Returns `existing` itself when every incoming message is already held as it is, so that a
 * message received twice (a push after a sync page) changes no state and is stored once.
 * A copy in an older state than the one held (a lower changeSeq: a page fetched before an
 * edit that was applied meanwhile) never replaces it.
 */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  const fresh = incoming.filter((message) => isNewerThanHeld(existing, message));
  if (fresh.length === 0) return existing;
  const last = existing.at(-1);
  // The common case, one new message after the newest: append without re-sorting.
  if (fresh.length === 1 && (!last || fresh[0]!.seq > last.seq)) {
    return [...existing, fresh[0]!];
  }
  const byId = new Map<number, Message>();
  for (const message of existing) byId.set(message.id, message);
  for (const message of fresh) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Whether `messages` (sorted by seq) holds this very message, with the same content. */
export function isHeld(messages: Message[], message: Message): boolean {
  const held = findBySeq(messages, message.seq);
  return held !== undefined && isSameMessage(held, message);
}

/** The change counter of the message's current state; 0 for one never changed. */
export function changeSeqOf(message: Message): number {
  return message.changeSeq ?? 0;
}

/**
 * Whether `message` should go into `messages` (sorted by seq): not held yet, or held in an
 * earlier state. Equal change seqs take the incoming copy when it differs: a quote (replyTo)
 * is built when read, so a later copy may carry a fresher quote under the same change seq.
 */
export function isNewerThanHeld(messages: Message[], message: Message): boolean {
  const held = findBySeq(messages, message.seq);
  if (!held) return true;
  if (changeSeqOf(message) < changeSeqOf(held)) return false;
  return !isSameMessage(held, message);
}

/** Binary search: threads are sorted by seq, and a live message usually lands at the end. */
export function findBySeq(messages: Message[], seq: number): Message | undefined {
  let low = 0;
  let high = messages.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = messages[middle]!;
    if (candidate.seq === seq) return candidate;
    if (candidate.seq < seq) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/** Field by field: a copy that crossed the wire again is the same message. */
function isSameMessage(a: Message, b: Message): boolean {
  return isSameValue(a, b);
}

/** Plain data compared in depth: reactions, a quote and a deletion are nested objects. */
function isSameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => isSameValue(left[key], right[key]))
  );
}

/** The thread after messages that continue it forward: sync pages and live messages. */
export function addForward(thread: Thread, incoming: Message[]): Thread {
  const messages = mergeMessages(thread.messages, incoming);
  if (messages === thread.messages) return thread;
  // Only messages beyond the cursor can move it; they sit at the end of the sorted list.
  let syncedSeq = thread.syncedSeq;
  const ahead = new Set<number>();
  for (let index = messages.length - 1; index >= 0 && messages[index]!.seq > syncedSeq; index--) {
    ahead.add(messages[index]!.seq);
  }
  while (ahead.has(syncedSeq + 1)) syncedSeq++;
  return { ...thread, messages, syncedSeq };
}

/**
 * The thread of a conversation first seen now, from its newest page. `changeSeq`: the
 * conversation's change counter as known before the page was asked for, so that no change
 * made while it was on its way is skipped (one applied twice changes nothing).
 */
export function threadFromNewestPage(
  page: { messages: Message[]; hasMore: boolean },
  changeSeq = 0,
): Thread {
  const first = page.messages[0];
  const last = page.messages.at(-1);
  return {
    messages: page.messages,
    oldestSeq: first && page.hasMore ? first.seq : 1,
    syncedSeq: last?.seq ?? 0,
    changeSeq,
    isLoadingOlder: false,
  };
}

/** The thread after a page of older messages, fetched from below oldestSeq. */
export function addOlder(thread: Thread, page: { messages: Message[]; hasMore: boolean }): Thread {
  const first = page.messages[0];
  return {
    ...thread,
    messages: mergeMessages(thread.messages, page.messages),
    oldestSeq: first && page.hasMore ? Math.min(thread.oldestSeq, first.seq) : 1,
    isLoadingOlder: false,
  };
}

/**
 * The thread a device restores at start from what it stored: its cursor and the newest page
 * of its range. Only the run that reaches the cursor without a gap is kept, so the range stays
 * contiguous; null when nothing usable is stored (the conversation is fetched afresh).
 */
export function threadFromStored(
  cursor: { oldestSeq: number; syncedSeq: number; changeSeq?: number },
  newest: Message[],
): Thread | null {
  // A cursor stored before changes existed has seen none.
  const changeSeq = cursor.changeSeq ?? 0;
  if (cursor.oldestSeq > cursor.syncedSeq) {
    // A conversation followed from its beginning that had no messages yet.
    return {
      messages: [],
      oldestSeq: cursor.oldestSeq,
      syncedSeq: cursor.syncedSeq,
      changeSeq,
      isLoadingOlder: false,
    };
  }
  const run = contiguousRunEndingAt(newest, cursor.syncedSeq);
  if (run.length === 0) return null;
  return {
    messages: run,
    oldestSeq: run[0]!.seq,
    syncedSeq: cursor.syncedSeq,
    changeSeq,
    isLoadingOlder: false,
  };
}

/**
 * Older messages the device stored below `beforeSeq`, as a page for addOlder: only the run
 * that ends just below `beforeSeq` without a gap. null when the device has none of them.
 */
export function olderPageFromStored(
  beforeSeq: number,
  stored: Message[],
): { messages: Message[]; hasMore: boolean } | null {
  const run = contiguousRunEndingAt(stored, beforeSeq - 1);
  if (run.length === 0) return null;
  return { messages: run, hasMore: run[0]!.seq > 1 };
}

/** The messages (sorted by seq) that form an unbroken run of seqs ending at `lastSeq`. */
function contiguousRunEndingAt(messages: Message[], lastSeq: number): Message[] {
  let start = messages.length;
  let expected = lastSeq;
  while (start > 0 && messages[start - 1]!.seq === expected) {
    start -= 1;
    expected -= 1;
  }
  return start === 0 ? messages : messages.slice(start);
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
  const isMine = message.senderId === meId;
  // The server moves a sender's own markers to each message they send.
  const readSeq = isMine ? Math.max(summary.readSeq, message.seq) : summary.readSeq;
  const deliveredSeq = isMine ? Math.max(summary.deliveredSeq, message.seq) : summary.deliveredSeq;
  const lastSeq = Math.max(summary.lastSeq, message.seq);
  // Counted up from the count held, not recomputed from the markers: the server's count
  // leaves out unread messages deleted meanwhile, and so does this one.
  const arrived = lastSeq - summary.lastSeq - (isGoneForViewer(message) ? 1 : 0);
  return {
    ...summary,
    lastSeq,
    readSeq,
    deliveredSeq,
    unreadCount: isMine
      ? Math.max(0, lastSeq - readSeq)
      : Math.max(0, summary.unreadCount + Math.max(0, arrived)),
    lastActivityAt: message.createdAt,
    lastMessage: previewOf(message),
  };
}

/** What the conversation list shows of a message. */
export function previewOf(message: Message): MessagePreview {
  return {
    seq: message.seq,
    senderId: message.senderId,
    kind: message.kind,
    body: message.deleted ? '' : truncateCodePoints(message.body, PREVIEW_MAX_CODE_POINTS),
    createdAt: message.createdAt,
    ...(message.deleted ? { isDeleted: true as const } : {}),
    ...(message.editedAt !== undefined && !message.deleted ? { isEdited: true as const } : {}),
  };
}

/** Deleted for everyone, or hidden by the viewer: it no longer counts as unread. */
export function isGoneForViewer(message: Message): boolean {
  return message.deleted !== undefined || message.isHidden === true;
}

/**
 * The list after messages arrived: each summary moved by applyMessageToSummary, re-sorted.
 * Returns `list` itself when no summary changed (a message already counted).
 */
export function applyMessagesToList(
  list: ConversationSummary[],
  messages: Message[],
  meId: string,
): ConversationSummary[] {
  let next = list;
  for (const message of messages) {
    const index = next.findIndex((item) => item.id === message.conversationId);
    if (index === -1) continue;
    const moved = applyMessageToSummary(next[index]!, message, meId);
    if (moved === next[index]) continue;
    if (next === list) next = [...list];
    next[index] = moved;
  }
  return next === list ? list : sortConversations(next);
}

/** The summary after the viewer's read marker moved to `readSeq` (on any of their devices). */
export function applyReadToSummary(
  summary: ConversationSummary,
  readSeq: number,
  held?: HeldBy,
): ConversationSummary {
  if (readSeq <= summary.readSeq) return summary;
  return {
    ...summary,
    readSeq,
    deliveredSeq: Math.max(summary.deliveredSeq, readSeq),
    unreadCount: unreadAfterRead(summary, readSeq, held),
  };
}

/** A conversation's thread as the viewer holds it: what the device can count exactly. */
export interface HeldBy {
  thread: Thread;
  meId: string;
}

/**
 * The unread count after the read marker moved up to `readSeq`. Exact when the device holds
 * every message just read (the count loses the others' ones among them still shown) or every
 * message still unread (it counts them). Otherwise reading only lowers it, to at most what
 * lies above the marker: unread messages deleted meanwhile were not in it.
 */
function unreadAfterRead(summary: ConversationSummary, readSeq: number, held?: HeldBy): number {
  const above = Math.max(0, summary.lastSeq - readSeq);
  if (held && holdsEvery(held.thread, summary.readSeq + 1, readSeq)) {
    const read = countUnreadHeld(held, summary.readSeq, readSeq);
    return Math.min(above, Math.max(0, summary.unreadCount - read));
  }
  if (held && holdsEvery(held.thread, readSeq + 1, summary.lastSeq)) {
    return countUnreadHeld(held, readSeq, summary.lastSeq);
  }
  return Math.min(summary.unreadCount, above);
}

/** Whether the thread holds every seq from `fromSeq` through `toSeq` (true when none). */
function holdsEvery(thread: Thread, fromSeq: number, toSeq: number): boolean {
  return fromSeq > toSeq || (thread.oldestSeq <= fromSeq && toSeq <= thread.syncedSeq);
}

/** The others' held messages in (afterSeq, upToSeq] still shown: the unread among them. */
function countUnreadHeld({ thread, meId }: HeldBy, afterSeq: number, upToSeq: number): number {
  let count = 0;
  for (let index = thread.messages.length - 1; index >= 0; index--) {
    const message = thread.messages[index]!;
    if (message.seq <= afterSeq) break;
    if (message.seq <= upToSeq && message.senderId !== meId && !isGoneForViewer(message)) count++;
  }
  return count;
}

/** The summary after a receipt: the viewer's own markers, and the conversation-wide ones. */
export function applyReceiptToSummary(
  summary: ConversationSummary,
  receipt: ReceiptUpdate,
  meId: string,
  thread?: Thread,
): ConversationSummary {
  const own =
    receipt.userId === meId
      ? applyReadToSummary(
          { ...summary, deliveredSeq: Math.max(summary.deliveredSeq, receipt.deliveredSeq) },
          receipt.readSeq,
          thread && { thread, meId },
        )
      : summary;
  return {
    ...own,
    // Markers only move forward; receipts may arrive out of order.
    deliveredToAllSeq: Math.max(own.deliveredToAllSeq, receipt.deliveredToAllSeq),
    readByAllSeq: Math.max(own.readByAllSeq, receipt.readByAllSeq),
  };
}

export type MessageStatus = 'sending' | 'failed' | 'sent' | 'delivered' | 'read';

/** Ticks of one of the viewer's own stored messages. */
export function statusOf(
  message: Message,
  summary: ConversationSummary | undefined,
): MessageStatus {
  if (summary && message.seq <= summary.readByAllSeq) return 'read';
  if (summary && message.seq <= summary.deliveredToAllSeq) return 'delivered';
  return 'sent';
}

/**
 * A summary from the server combined with what the device learned meanwhile: a list fetched
 * before a live message arrived must not turn the clock back. Every field only moves forward.
 */
export function mergeSummary(
  fresh: ConversationSummary,
  local: ConversationSummary | undefined,
): ConversationSummary {
  if (!local) return fresh;
  const newest = local.lastSeq > fresh.lastSeq ? local : fresh;
  const readSeq = Math.max(fresh.readSeq, local.readSeq);
  return {
    ...fresh,
    lastSeq: newest.lastSeq,
    // A summary stored before changes existed has none.
    lastChangeSeq: Math.max(fresh.lastChangeSeq ?? 0, local.lastChangeSeq ?? 0),
    lastMessage: newest.lastMessage,
    lastActivityAt: newest.lastActivityAt,
    readSeq,
    deliveredSeq: Math.max(fresh.deliveredSeq, local.deliveredSeq),
    unreadCount: mergeUnreadCount(fresh, newest.lastSeq, readSeq),
    deliveredToAllSeq: Math.max(fresh.deliveredToAllSeq, local.deliveredToAllSeq),
    readByAllSeq: Math.max(fresh.readByAllSeq, local.readByAllSeq),
  };
}

/**
 * The summary after the server's unread count (the last page of message:changes), merged
 * like a fresh summary with what the device learned since; the device's lastSeq stays, so
 * that the messages still on their way here update the preview and count when they arrive.
 */
export function applyUnreadPosition(
  summary: ConversationSummary,
  fresh: UnreadPosition,
): ConversationSummary {
  const readSeq = Math.max(summary.readSeq, fresh.readSeq);
  const unreadCount = mergeUnreadCount(fresh, summary.lastSeq, readSeq);
  if (readSeq === summary.readSeq && unreadCount === summary.unreadCount) return summary;
  return {
    ...summary,
    readSeq,
    deliveredSeq: Math.max(summary.deliveredSeq, readSeq),
    unreadCount,
  };
}

/**
 * The server's unread count moved to the markers the device holds. Messages beyond the
 * server's lastSeq arrived since and count as unread; those the server counted that have not
 * reached the device are taken out (they count when they arrive). Unread messages the server
 * left out (deleted for everyone, or hidden by the viewer) stay left out. A read marker ahead
 * of the server's only lowers the count, to at most what lies above it.
 */
function mergeUnreadCount(fresh: UnreadPosition, lastSeq: number, readSeq: number): number {
  const moved = fresh.unreadCount + lastSeq - fresh.lastSeq;
  return Math.max(0, Math.min(moved, lastSeq - readSeq));
}

/**
 * The viewer is no longer a member: the conversation stays, read-only, ending at the message
 * that recorded it. Nothing after it will come, so nothing stays unread beyond it, and what the
 * members do next is not theirs to see.
 */
export function applyMembershipEnded(
  summary: ConversationSummary,
  ended: MembershipEnded,
): ConversationSummary {
  return {
    ...summary,
    membership: ended.membership,
    memberCount: 0,
    // The member row held these; it is gone (the server lists the group so from now on).
    isMuted: false,
    pinnedAt: null,
    archivedAt: null,
  };
}

/** Removed from the group, or left it: the device keeps it, and offers no composer. */
export function isFormerMember(summary: ConversationSummary): boolean {
  return summary.membership === 'left' || summary.membership === 'removed';
}

export function replaceConversation(
  list: ConversationSummary[],
  summary: ConversationSummary,
): ConversationSummary[] {
  return sortConversations([...list.filter((item) => item.id !== summary.id), summary]);
}

/** The drafts after one changed: an empty draft is dropped; no change keeps the same object. */
export function applyDraft(
  drafts: Record<string, string>,
  conversationId: string,
  text: string,
): Record<string, string> {
  if ((drafts[conversationId] ?? '') === text) return drafts;
  const next = { ...drafts };
  if (text === '') delete next[conversationId];
  else next[conversationId] = text;
  return next;
}

/**
 * What the tab's title counts: unread messages, except in muted conversations and in those
 * that show as archived (as in WhatsApp; a new message brings an unmuted one back, and counts).
 */
export function countUnread(conversations: ConversationSummary[]): number {
  return conversations.reduce(
    (total, item) => (item.isMuted || isArchivedNow(item) ? total : total + item.unreadCount),
    0,
  );
}

/** "bob is typing…", "bob and carol are typing…", "4 people are typing…". */
export function describeTyping(typing: TypingInConversation | undefined): string | null {
  const names = Object.values(typing ?? {})
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** The typing map after someone started or stopped. */
export function applyTyping(
  typing: Record<string, TypingInConversation>,
  conversationId: string,
  user: UserSummary,
  until: number | null,
): Record<string, TypingInConversation> {
  const current = typing[conversationId] ?? {};
  if (until === null && !current[user.id]) return typing;
  const next = { ...current };
  if (until === null) delete next[user.id];
  else next[user.id] = { name: user.displayName || user.username, until };
  return { ...typing, [conversationId]: next };
}

/**
 * The name to show for a person: their display name as the server last told it (state.people),
 * else the one the payload carried, else their username.
 */
export function displayNameOf(
  people: Record<string, Profile>,
  user: { id: string; username: string; displayName?: string | undefined },
): string {
  const known = people[user.id];
  if (known) return known.displayName || known.username;
  return user.displayName || user.username;
}

/** A person as a summary or a member row carries them, after their profile changed. */
function withProfile<T extends UserSummary>(user: T, profile: Profile): T {
  const { displayName: _previous, ...rest } = user;
  return { ...rest, ...(profile.displayName ? { displayName: profile.displayName } : {}) } as T;
}

/**
 * The state after the server told these profiles: the people map, the user themselves, and
 * every direct conversation's peer and title and group member list that shows one of them.
 */
export function applyProfiles(state: ChatState, profiles: Profile[]): ChatState {
  if (profiles.length === 0) return state;
  const byId = new Map(profiles.map((profile) => [profile.id, profile]));
  const people = { ...state.people };
  for (const profile of profiles) people[profile.id] = profile;
  const mine = byId.get(state.me.id);
  const conversations = state.conversations.map((item) => {
    const profile = item.peer && byId.get(item.peer.id);
    if (!profile || !item.peer) return item;
    return {
      ...item,
      peer: withProfile(item.peer, profile),
      title: profile.displayName || profile.username,
    };
  });
  const members = Object.fromEntries(
    Object.entries(state.members).map(([conversationId, list]) => [
      conversationId,
      list.map((member) => {
        const profile = byId.get(member.id);
        return profile ? withProfile(member, profile) : member;
      }),
    ]),
  );
  return {
    ...state,
    people,
    conversations,
    members,
    ...(mine ? { me: withProfile(state.me, mine), profile: mine } : {}),
  };
}
