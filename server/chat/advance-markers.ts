import { advanceMarkers, type Database, type MarkerAdvance, type MarkerMove } from '../../db';
import type { ReceiptUpdate } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { Batcher } from '../lib/batcher';
import { WRITES_AT_ONCE } from './send-message';

export interface MarkerResult {
  receipt: ReceiptUpdate;
  /**
   * Who must hear of it: every other member when the conversation-wide markers moved (their
   * ticks change), and the member's own devices for a read (their unread count clears), not
   * for a delivery.
   */
  notifyUserIds: string[];
  /** The member's own devices must hear of it at once (a read clears their unread count). */
  isOwnDevicesNotified: boolean;
  /** Messages that reached a device of this member for the first time. */
  newlyDelivered: number;
  /**
   * Of `notifyUserIds`, those with read receipts off: when the member hides their reads, or the
   * one told hides theirs, the receipt goes without the member's read marker.
   */
  readHiddenByIds: string[];
}

/** Records that a device of the user holds the conversation up to `seq` (two ticks). */
export function markDelivered(
  deps: Deps,
  userId: string,
  input: { conversationId: string; seq: number },
): Promise<MarkerResult> {
  return advance(deps, userId, input.conversationId, { deliveredSeq: input.seq }, []);
}

/** Records that the user has seen the conversation up to `seq` (blue ticks, unread count). */
export function markRead(
  deps: Deps,
  userId: string,
  input: { conversationId: string; seq: number },
): Promise<MarkerResult> {
  // The reader's other devices always hear of it: their unread count must clear too.
  return advance(deps, userId, input.conversationId, { readSeq: input.seq }, [userId]);
}

async function advance(
  deps: Deps,
  userId: string,
  conversationId: string,
  target: { deliveredSeq?: number; readSeq?: number },
  alwaysNotify: string[],
): Promise<MarkerResult> {
  const moved = await deps.markerWriter.add({ conversationId, userId, ...target });
  if (!moved) throw conversationNotFound();
  const { isConversationWideChanged, newlyDelivered, memberIds, readHiddenByIds, ...markers } =
    moved;
  return {
    receipt: { conversationId, userId, ...markers },
    newlyDelivered,
    readHiddenByIds,
    // The conversation-wide ticks a report moves are never on the reporter's own messages
    // (theirs were below their own marker already): they hear of a move only when told always.
    notifyUserIds: isConversationWideChanged
      ? memberIds.filter((id) => id !== userId || alwaysNotify.includes(id))
      : alwaysNotify,
    isOwnDevicesNotified: alwaysNotify.includes(userId),
  };
}

/**
 * The least time between the starts of two writes of the marker writer. Each call of
 * advance_markers costs PostgreSQL a fixed part well above what one more report in it adds (as
 * for append_messages; docs/performance.md), and reports can wait: a device reports delivery
 * only once a burst has settled (deliveryReportDelayMs, 100 ms and more), so 20 ms more before
 * the ticks move is not seen, while under load each write holds the reports of 20 ms
 * (PostgreSQL's CPU per message at 250 msg/s on one node: 1,653-1,720 µs without spacing,
 * 1,264-1,283 with it). A report after a quiet spell is written at once.
 */
const MARKER_WRITE_SPACING_MS = 20;

/**
 * One per node: delivered and read reports that arrive together are written together, one
 * batch at a time (WRITES_AT_ONCE), at most one write every MARKER_WRITE_SPACING_MS.
 */
export function createMarkerWriter(db: Database): Batcher<MarkerMove, MarkerAdvance | null> {
  return new Batcher((moves) => advanceMarkers(db, moves), {
    maxBatch: 256,
    concurrency: WRITES_AT_ONCE,
    spacingMs: MARKER_WRITE_SPACING_MS,
  });
}
