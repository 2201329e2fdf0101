// The queue of delivery reports a socket sends without an ack (server/realtime/unanswered-reports.ts).

import { describe, expect, it } from 'vitest';
import { UnansweredReports, type DeliveryReport } from '../../server/realtime/unanswered-reports';

function setUp() {
  const written: DeliveryReport[] = [];
  const waiting: (() => void)[] = [];
  const reports = new UnansweredReports(async (report) => {
    written.push(report);
    await new Promise<void>((resolve) => waiting.push(resolve));
  });
  /** Lets the write under way finish, and waits until the queue has moved on. */
  const finishWrite = async () => {
    waiting.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { reports, written, finishWrite };
}

describe('delivery reports without an ack', () => {
  it('are written one at a time, the ones that arrive meanwhile merged per conversation', async () => {
    const { reports, written, finishWrite } = setUp();
    reports.add({ conversationId: 'a', seq: 1 });
    reports.add({ conversationId: 'a', seq: 3 });
    reports.add({ conversationId: 'b', seq: 7 });
    reports.add({ conversationId: 'a', seq: 2 });
    expect(written).toEqual([{ conversationId: 'a', seq: 1 }]);
    expect(reports.size).toBe(2);
    await finishWrite();
    expect(written.at(-1)).toEqual({ conversationId: 'a', seq: 3 });
    // One that arrives while its conversation's merged report waits joins it.
    reports.add({ conversationId: 'b', seq: 9 });
    await finishWrite();
    expect(written.at(-1)).toEqual({ conversationId: 'b', seq: 9 });
    await finishWrite();
    expect(written).toHaveLength(3);
    expect(reports.size).toBe(0);
    // Idle again: the next one is written at once.
    reports.add({ conversationId: 'a', seq: 4 });
    expect(written.at(-1)).toEqual({ conversationId: 'a', seq: 4 });
    await finishWrite();
  });
});
