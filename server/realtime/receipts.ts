// Receipts (ticks) to the members of a conversation.
//
// In a 1:1 chat or a small group every marker move that changes the conversation-wide ticks
// goes to every member at once. In a big group such moves come many times a second (each
// member's report can move the minimum), and each would be one write to every member's
// socket: there, the moves of a short while go out as one broadcast of the newest values.
// Receipts only ever move forward and clients merge them by maximum, so the newest values
// say everything the ones they replace said.

import { deliveryReportDelayMs, ServerEvent, type ReceiptUpdate } from '../../protocol';
import type { MarkerResult } from '../chat/advance-markers';
import { userRoom } from './rooms';
import type { ParleyIo } from './types';

/** Up to this many members, receipts go out at once. */
export const IMMEDIATE_RECEIPTS_MAX_MEMBERS = 100;

interface Pending {
  receipt: ReceiptUpdate;
  memberIds: string[];
  readHiddenByIds: string[];
  timer: NodeJS.Timeout;
}

export class ReceiptBroadcaster {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly io: ParleyIo,
    /** How long a big group's ticks may wait, by member count. */
    private readonly windowMs: (memberCount: number) => number = deliveryReportDelayMs,
  ) {}

  send(result: MarkerResult): void {
    const { receipt, notifyUserIds, readHiddenByIds } = result;
    if (notifyUserIds.length <= IMMEDIATE_RECEIPTS_MAX_MEMBERS) {
      if (notifyUserIds.length > 0) this.emit(notifyUserIds, receipt, readHiddenByIds);
      return;
    }
    // The reader's other devices clear their unread count now; the group's ticks may wait.
    if (result.isOwnDevicesNotified) this.emit([receipt.userId], receipt, []);
    const waiting = this.pending.get(receipt.conversationId);
    if (waiting) {
      waiting.receipt = withSeqs(
        receipt,
        receipt.readSeq,
        Math.max(waiting.receipt.deliveredToAllSeq, receipt.deliveredToAllSeq),
        Math.max(waiting.receipt.readByAllSeq, receipt.readByAllSeq),
      );
      waiting.memberIds = notifyUserIds;
      waiting.readHiddenByIds = readHiddenByIds;
      return;
    }
    const timer = setTimeout(
      () => this.flush(receipt.conversationId),
      this.windowMs(notifyUserIds.length),
    );
    this.pending.set(receipt.conversationId, {
      receipt,
      memberIds: notifyUserIds,
      readHiddenByIds,
      timer,
    });
  }

  /** Sends everything that waits (before the node closes its sockets). */
  flushAll(): void {
    for (const conversationId of [...this.pending.keys()]) this.flush(conversationId);
  }

  private flush(conversationId: string): void {
    const waiting = this.pending.get(conversationId);
    if (!waiting) return;
    this.pending.delete(conversationId);
    clearTimeout(waiting.timer);
    this.emit(waiting.memberIds, waiting.receipt, waiting.readHiddenByIds);
  }

  /**
   * A member's own devices always get their read marker; others do not when either side has
   * read receipts off (they get 0: nothing read).
   */
  private emit(userIds: string[], receipt: ReceiptUpdate, readHiddenByIds: string[]): void {
    const hiding = new Set(readHiddenByIds);
    const isMoverHiding = hiding.has(receipt.userId);
    const shown: string[] = [];
    const hidden: string[] = [];
    for (const userId of userIds) {
      const isHidden = userId !== receipt.userId && (isMoverHiding || hiding.has(userId));
      (isHidden ? hidden : shown).push(userId);
    }
    if (shown.length > 0) {
      this.io.to(shown.map(userRoom)).emit(ServerEvent.ReceiptUpdated, receipt);
    }
    if (hidden.length > 0) {
      this.io
        .to(hidden.map(userRoom))
        .emit(
          ServerEvent.ReceiptUpdated,
          withSeqs(receipt, 0, receipt.deliveredToAllSeq, receipt.readByAllSeq),
        );
    }
  }
}

/**
 * A copy of the receipt with these seqs. Written out, not spread: an object made by a spread is
 * slow to extend in Node 20's V8 (docs/performance.md).
 */
function withSeqs(
  receipt: ReceiptUpdate,
  readSeq: number,
  deliveredToAllSeq: number,
  readByAllSeq: number,
): ReceiptUpdate {
  return {
    conversationId: receipt.conversationId,
    userId: receipt.userId,
    deliveredSeq: receipt.deliveredSeq,
    readSeq,
    deliveredToAllSeq,
    readByAllSeq,
  };
}
