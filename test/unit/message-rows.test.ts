// The rows of the virtual message list: day separators, runs of one sender, the unread divider,
// and the first index that keeps the reader's place when an older page goes in above.

import { describe, expect, it } from 'vitest';
import type { PendingMessage } from '../../hooks/chat-state';
import type { Message } from '../../protocol';
import { buildRows, nextFirstIndex, rowIndexOfSeq, type Row } from '../../components/message-rows';
import { message } from './fake-requests';

/** A message of `sender` at `hour` o'clock, `days` before 5 November 2026 (local time). */
function at(seq: number, sender: string, days: number, hour = 10): Message {
  return { ...message(seq, sender), createdAt: new Date(2026, 10, 5 - days, hour).toISOString() };
}

function pending(clientMsgId: string, createdAt: string): PendingMessage {
  return {
    clientMsgId,
    conversationId: 'c1',
    body: 'on its way',
    createdAt,
    order: 0,
    status: 'sending',
  };
}

/** Each row as a short word: what the list shows, in order. */
function shape(rows: Row[]): string[] {
  return rows.map((row) => {
    switch (row.kind) {
      case 'day':
        return 'day';
      case 'unread':
        return `unread ${row.count}`;
      case 'system':
        return `system ${row.message.seq}`;
      case 'message':
        return `${row.message.seq}${row.isFollowUp ? '+' : ''}`;
      case 'pending':
        return `pending${row.isFollowUp ? '+' : ''}`;
    }
  });
}

describe('buildRows', () => {
  it('starts each day with a separator and groups a run of one sender within a day', () => {
    const rows = buildRows(
      [at(1, 'bob', 1), at(2, 'bob', 1), at(3, 'me', 1), at(4, 'me', 0), at(5, 'bob', 0)],
      [],
      'me',
      null,
    );
    // The first day's separator is the list's header: the day of the first row.
    expect(shape(rows)).toEqual(['1', '2+', '3', 'day', '4', '5']);
    expect(rows.map((row) => row.day)).toEqual([
      ...Array<string>(3).fill(rows[0]!.day),
      ...Array<string>(3).fill(rows[3]!.day),
    ]);
    expect(rows[0]!.day).not.toBe(rows[3]!.day);
    // Room above each run but the first row's (the header is above it).
    expect(rows.map((row) => row.kind === 'message' && row.isRunStart)).toEqual([
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
  });

  it('breaks a run at a system line and leaves out what was deleted for the viewer alone', () => {
    const system = { ...at(2, 'bob', 0), kind: 'system' as const };
    const hidden = { ...at(4, 'bob', 0), isHidden: true as const };
    const rows = buildRows(
      [at(1, 'bob', 0), system, at(3, 'bob', 0), hidden, at(5, 'bob', 0)],
      [],
      'me',
      null,
    );
    expect(shape(rows)).toEqual(['1', 'system 2', '3', '5+']);
  });

  it('puts the unread divider above the first message from someone else beyond the marker', () => {
    const rows = buildRows(
      [at(1, 'bob', 0), at(2, 'me', 0), at(3, 'me', 0), at(4, 'bob', 0), at(5, 'bob', 0)],
      [],
      'me',
      { afterSeq: 1, count: 2 },
    );
    expect(shape(rows)).toEqual(['1', '2', '3+', 'unread 2', '4', '5+']);
  });

  it('shows messages not sent yet last, joined to one’s own run above them', () => {
    const today = new Date(2026, 10, 5, 11).toISOString();
    const rows = buildRows(
      [at(1, 'me', 0)],
      [pending('a', today), pending('b', today)],
      'me',
      null,
    );
    expect(shape(rows)).toEqual(['1', 'pending+', 'pending+']);
    const nextDay = new Date(2026, 10, 6, 9).toISOString();
    expect(shape(buildRows([at(1, 'me', 0)], [pending('a', nextDay)], 'me', null))).toEqual([
      '1',
      'day',
      'pending',
    ]);
  });

  it('finds the row of a seq', () => {
    const rows = buildRows([at(7, 'bob', 0), at(8, 'bob', 0)], [], 'me', null);
    expect(rowIndexOfSeq(rows, 8)).toBe(1);
    expect(rowIndexOfSeq(rows, 9)).toBe(-1);
  });
});

describe('nextFirstIndex', () => {
  const page = [at(3, 'bob', 0), at(4, 'bob', 0)];

  it('lowers the first index by the rows put in above, so every shown row keeps its index', () => {
    const before = buildRows(page, [], 'me', null);
    // Two older messages: one of an earlier day (a separator of its own), one of the same day.
    const after = buildRows([at(1, 'bob', 1), at(2, 'bob', 0), ...page], [], 'me', null);
    const firstIndex = nextFirstIndex({ rows: before, firstIndex: 1000 }, after);
    expect(firstIndex).toBe(1000 - 3);
    expect(shape(after)).toEqual(['1', 'day', '2', '3+', '4+']);
    const indexOf = (rows: Row[], first: number, seq: number) => first + rowIndexOfSeq(rows, seq);
    expect(indexOf(after, firstIndex, 3)).toBe(indexOf(before, 1000, 3));
    expect(indexOf(after, firstIndex, 4)).toBe(indexOf(before, 1000, 4));
  });

  it('anchors on a message not sent yet when it is the first row', () => {
    const today = new Date(2026, 10, 5, 11).toISOString();
    const before = buildRows([], [pending('a', today)], 'me', null);
    const after = buildRows(page, [pending('a', today)], 'me', null);
    expect(nextFirstIndex({ rows: before, firstIndex: 1000 }, after)).toBe(1000 - 2);
  });

  it('keeps the first index when rows are added below or the list starts anew', () => {
    const before = buildRows(page, [], 'me', null);
    const below = buildRows([...page, at(5, 'me', 0)], [], 'me', null);
    expect(nextFirstIndex({ rows: before, firstIndex: 1000 }, below)).toBe(1000);
    const elsewhere = buildRows([at(90, 'bob', 0)], [], 'me', null);
    expect(nextFirstIndex({ rows: before, firstIndex: 1000 }, elsewhere)).toBe(1000);
    expect(nextFirstIndex({ rows: [], firstIndex: 1000 }, before)).toBe(1000);
  });
});
