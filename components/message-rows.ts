// The rows of a conversation's message list, in order: what the virtual list renders. Pure, so
// that the grouping rules (days, runs of one sender, the unread divider) are tested alone.

import type { Message } from '../protocol';
import type { PendingMessage } from '../hooks/chat-state';
import { formatDay, localDay } from './format-time';

/** Where the unread messages began when the conversation opened, and how many there were. */
export interface UnreadAtOpen {
  afterSeq: number;
  count: number;
}

interface RowBase {
  /** Stable across renders: the list's key for the row. */
  key: string;
  /** "Today", "Yesterday", a weekday or a date: the day the row belongs to. */
  day: string;
}

export type Row =
  | (RowBase & { kind: 'day' })
  | (RowBase & { kind: 'unread'; count: number })
  | (RowBase & { kind: 'system'; message: Message })
  | (RowBase & { kind: 'message' } & RunPlace & { message: Message })
  | (RowBase & { kind: 'pending' } & RunPlace & { message: PendingMessage });

/** Where a message stands in the run of its sender's messages. */
interface RunPlace {
  /** Follows a message of the same sender, the same day: grouped under it, no tail. */
  isFollowUp: boolean;
  /**
   * Starts a run below another row: some room above it. Not the first row, which the list's
   * header (the first day) is above: every row of a page of one-line messages is then as tall,
   * and the list's guess of a page's height, the first row's, is right.
   */
  isRunStart: boolean;
}

/**
 * Turns what the device holds into rows: a separator before the first message of each local
 * day but the first (see startDay), the "N unread messages" divider above the first message from someone else beyond the
 * read marker the conversation opened with, and each message marked as following one of the
 * same sender (grouped under it, no tail). Messages deleted for the viewer alone are left out.
 * Messages not sent yet come last and join the run above them.
 */
export function buildRows(
  messages: readonly Message[],
  pending: readonly PendingMessage[],
  meId: string,
  unreadAtOpen: UnreadAtOpen | null,
): Row[] {
  const rows: Row[] = [];
  let shownDay: string | null = null;
  /** The sender of the message shown last, when it was a person's: the next of theirs joins it. */
  let runSender: string | null = null;
  let isUnreadDividerShown = false;

  /**
   * Adds a separator when `createdAt` starts a new day, and returns the day's label. The first
   * day's separator is not a row: the list's header shows it (the day of the first row). So the
   * first row is a message, whose height the virtual list takes as its guess for the rows of
   * an older page put in above it, and a page of the same day changes no row that was there.
   */
  function startDay(createdAt: string): string {
    const day = localDay(createdAt);
    const label = formatDay(createdAt);
    if (day !== shownDay) {
      if (shownDay !== null) rows.push({ kind: 'day', key: `day-${day}`, day: label });
      shownDay = day;
      runSender = null;
    }
    return label;
  }

  for (const message of messages) {
    if (message.isHidden) continue;
    const day = startDay(message.createdAt);
    if (message.kind === 'system') {
      rows.push({ kind: 'system', key: `m-${message.id}`, day, message });
      runSender = null;
      continue;
    }
    if (
      unreadAtOpen !== null &&
      !isUnreadDividerShown &&
      message.seq > unreadAtOpen.afterSeq &&
      message.senderId !== meId
    ) {
      isUnreadDividerShown = true;
      rows.push({ kind: 'unread', key: 'unread', day, count: unreadAtOpen.count });
      runSender = null;
    }
    const isFollowUp = runSender === message.senderId;
    rows.push({
      kind: 'message',
      key: `m-${message.id}`,
      day,
      message,
      isFollowUp,
      isRunStart: !isFollowUp && rows.length > 0,
    });
    runSender = message.senderId;
  }

  for (const message of pending) {
    const day = startDay(message.createdAt);
    const isFollowUp = runSender === meId;
    rows.push({
      kind: 'pending',
      key: `p-${message.clientMsgId}`,
      day,
      message,
      isFollowUp,
      isRunStart: !isFollowUp && rows.length > 0,
    });
    runSender = meId;
  }
  return rows;
}

/** The row that shows a message, by seq, if it is among the rows. */
export function rowIndexOfSeq(rows: readonly Row[], seq: number): number {
  return rows.findIndex(
    (row) => (row.kind === 'message' || row.kind === 'system') && row.message.seq === seq,
  );
}

/**
 * The list's index of its first row, kept so that rows put in above the ones shown (an older
 * page) leave every shown row at the same index: the virtual list then keeps the reader's place.
 * `previous` is the last render's rows and first index. The first message row of the last
 * render (sent or not yet) is the anchor: its index stays what it was.
 */
export function nextFirstIndex(
  previous: { rows: readonly Row[]; firstIndex: number },
  rows: readonly Row[],
): number {
  const anchor = previous.rows.findIndex((row) => row.kind !== 'day' && row.kind !== 'unread');
  if (anchor < 0) return previous.firstIndex;
  const key = previous.rows[anchor]!.key;
  const now = rows.findIndex((row) => row.key === key);
  if (now < 0) return previous.firstIndex;
  return previous.firstIndex - (now - anchor);
}
