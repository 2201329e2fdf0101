// Delivery reports a socket sends without an ack (protocol: ACK_OPTIONAL_EVENTS). Nobody waits
// for their answer, so they take no place among the socket's events in flight (four at most,
// which would refuse a report sent during a sync, and a refused report without an ack is lost
// until the next connect). Instead each socket writes its reports one at a time, and those that
// arrive meanwhile are merged per conversation, keeping the highest seq: a marker only moves
// forward, so the merged report says all the others said. However many a socket sends, it holds
// one report per conversation and one write at a time.

export interface DeliveryReport {
  conversationId: string;
  seq: number;
}

export class UnansweredReports {
  private readonly pending = new Map<string, number>();
  private isWriting = false;

  /** `write` records one report and settles when it is done; it must not throw. */
  constructor(private readonly write: (report: DeliveryReport) => Promise<void>) {}

  add({ conversationId, seq }: DeliveryReport): void {
    const merged = this.pending.get(conversationId);
    if (merged === undefined || seq > merged) this.pending.set(conversationId, seq);
    if (!this.isWriting) void this.drain();
  }

  /** Reports not yet written. */
  get size(): number {
    return this.pending.size;
  }

  private async drain(): Promise<void> {
    this.isWriting = true;
    try {
      for (const [conversationId, seq] of this.pending) {
        this.pending.delete(conversationId);
        await this.write({ conversationId, seq });
      }
    } finally {
      this.isWriting = false;
    }
  }
}
