import { describe, expect, it } from 'vitest';
import {
  applyMessageToSummary,
  applyReadToSummary,
  mergeMessages,
  sortConversations,
} from '../../hooks/chat-state';
import type { ConversationSummary, Message } from '../../protocol';

const message = (seq: number, senderId = 'bob', id = seq * 10): Message => ({
  id,
  conversationId: 'c1',
  seq,
  senderId,
  clientMsgId: `m${seq}`,
  kind: 'text',
  body: `message ${seq}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
});

const summary = (patch: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id: 'c1',
  kind: 'direct',
  title: 'bob',
  peer: { id: 'bob', username: 'bob' },
  lastSeq: 0,
  readSeq: 0,
  deliveredSeq: 0,
  unreadCount: 0,
  deliveredToAllSeq: 0,
  readByAllSeq: 0,
  lastMessage: null,
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});

describe('mergeMessages', () => {
  it('orders by seq and keeps each id once, whatever order they arrive in', () => {
    const merged = mergeMessages(
      [message(2), message(4)],
      [message(3), message(1), message(4), message(2)],
    );
    expect(merged.map((item) => item.seq)).toEqual([1, 2, 3, 4]);
  });

  it('orders by seq even when clocks disagree', () => {
    const late = { ...message(1), createdAt: '2030-01-01T00:00:00.000Z' };
    expect(mergeMessages([message(2)], [late]).map((item) => item.seq)).toEqual([1, 2]);
  });

  it('returns the same array when there is nothing new', () => {
    const existing = [message(1)];
    expect(mergeMessages(existing, [])).toBe(existing);
  });
});

describe('applyMessageToSummary', () => {
  it('counts others’ messages as unread and moves the preview', () => {
    const next = applyMessageToSummary(summary(), message(1), 'alice');
    expect(next).toMatchObject({
      lastSeq: 1,
      unreadCount: 1,
      lastMessage: { seq: 1, body: 'message 1' },
    });
  });

  it('does not count the viewer’s own messages as unread', () => {
    const next = applyMessageToSummary(
      summary({ lastSeq: 2, unreadCount: 2 }),
      message(3, 'alice'),
      'alice',
    );
    expect(next).toMatchObject({ lastSeq: 3, readSeq: 3, unreadCount: 0 });
  });

  it('ignores a message it has already counted', () => {
    const once = applyMessageToSummary(summary(), message(1), 'alice');
    expect(applyMessageToSummary(once, message(1), 'alice')).toBe(once);
  });
});

describe('applyReadToSummary', () => {
  it('only ever moves the read marker forward', () => {
    const read = applyReadToSummary(summary({ lastSeq: 5, unreadCount: 5 }), 3);
    expect(read).toMatchObject({ readSeq: 3, unreadCount: 2 });
    expect(applyReadToSummary(read, 2)).toBe(read);
  });
});

describe('sortConversations', () => {
  it('puts the most recent activity first and keeps a sorted list as is', () => {
    const older = summary({ id: 'a', lastActivityAt: '2026-01-01T00:00:00.000Z' });
    const newer = summary({ id: 'b', lastActivityAt: '2026-01-02T00:00:00.000Z' });
    expect(sortConversations([older, newer]).map((item) => item.id)).toEqual(['b', 'a']);
    const sorted = [newer, older];
    expect(sortConversations(sorted)).toBe(sorted);
  });
});
