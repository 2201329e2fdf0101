// Devices collect delivery reports for a while before sending one: longer in big groups, so
// that one message to many members does not bring a report per member at once.

import { describe, expect, it } from 'vitest';
import { deliveryReportDelayMs } from '../../protocol';

describe('deliveryReportDelayMs', () => {
  it('reports quickly in 1:1 chats and small groups', () => {
    expect(deliveryReportDelayMs(2)).toBe(100);
    expect(deliveryReportDelayMs(100)).toBe(100);
  });

  it('waits 100 ms more per hundred members, up to 2 s', () => {
    expect(deliveryReportDelayMs(101)).toBe(200);
    expect(deliveryReportDelayMs(256)).toBe(300);
    expect(deliveryReportDelayMs(1_000)).toBe(1_000);
    expect(deliveryReportDelayMs(5_000)).toBe(2_000);
  });

  it('treats an unknown or empty size as a 1:1 chat', () => {
    expect(deliveryReportDelayMs(0)).toBe(100);
  });
});
