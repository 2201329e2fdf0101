import { describe, expect, it } from 'vitest';
import {
  addForward,
  addOlder,
  applyMessagesToList,
  applyMembershipEnded,
  applyMessageToSummary,
  applyReadToSummary,
  applyReceiptToSummary,
  EMPTY_THREAD,
  hasMoreBefore,
  isFormerMember,
  mergeMessages,
  mergeSummary,
  sortConversations,
  olderPageFromStored,
  statusOf,
  threadFromNewestPage,
  threadFromStored,
} from '../../hooks/chat-state';
import { mergeCursors, MemoryDeviceStore } from '../../hooks/device-store';
import type { ConversationSummary, Message } from '../../protocol';
import { summary } from './fake-requests';

const message = (seq: number, senderId = 'bob', id = seq * 10): Message => ({
  id,
  conversationId: 'c1',
  seq,
  senderId,
  senderUsername: senderId,
  clientMsgId: `m${seq}`,
  kind: 'text',
  body: `message ${seq}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
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

  it('returns the same array for a message it already holds, even as a fresh copy', () => {
    const existing = [message(1), message(2), message(3)];
    expect(mergeMessages(existing, [{ ...message(2) }])).toBe(existing);
    expect(mergeMessages(existing, [message(3), { ...message(1) }])).toBe(existing);
  });

  it('takes a message again when its content differs from the copy held', () => {
    const existing = [message(1), message(2)];
    const changed = { ...message(2), body: 'changed' };
    const merged = mergeMessages(existing, [changed]);
    expect(merged).not.toBe(existing);
    expect(merged.map((item) => item.body)).toEqual(['message 1', 'changed']);
  });
});

describe('receiving a message twice', () => {
  it('leaves the thread and the conversation list exactly as they were', () => {
    const thread = addForward(EMPTY_THREAD, [message(1), message(2)]);
    expect(addForward(thread, [{ ...message(2) }])).toBe(thread);
    const list = [applyMessageToSummary(summary(), message(2), 'alice')];
    expect(applyMessagesToList(list, [{ ...message(2) }], 'alice')).toBe(list);
    const moved = applyMessagesToList(list, [message(3)], 'alice');
    expect(moved).not.toBe(list);
    expect(moved[0]).toMatchObject({ lastSeq: 3, unreadCount: 3 });
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

describe('thread cursors', () => {
  it('advance only over messages held without a gap', () => {
    const thread = addForward(EMPTY_THREAD, [message(1), message(2), message(4)]);
    expect(thread).toMatchObject({ oldestSeq: 1, syncedSeq: 2 });
    expect(thread.messages.map((item) => item.seq)).toEqual([1, 2, 4]);
    // The gap fills: the cursor jumps over everything now held.
    expect(addForward(thread, [message(3)])).toMatchObject({ syncedSeq: 4 });
  });

  it('start from the newest page of a conversation first seen, and page back to the beginning', () => {
    const newest = threadFromNewestPage({ messages: [message(71), message(72)], hasMore: true });
    expect(newest).toMatchObject({ oldestSeq: 71, syncedSeq: 72 });
    expect(hasMoreBefore(newest)).toBe(true);
    const older = addOlder(newest, { messages: [message(69), message(70)], hasMore: true });
    expect(older).toMatchObject({ oldestSeq: 69, syncedSeq: 72 });
    const all = addOlder(older, { messages: [message(1)], hasMore: false });
    expect(all.oldestSeq).toBe(1);
    expect(hasMoreBefore(all)).toBe(false);
  });

  it('treat an empty conversation as held from its beginning', () => {
    const empty = threadFromNewestPage({ messages: [], hasMore: false });
    expect(empty).toMatchObject({ oldestSeq: 1, syncedSeq: 0 });
    expect(addForward(empty, [message(1)])).toMatchObject({ oldestSeq: 1, syncedSeq: 1 });
  });

  it('restore from the newest stored page, keeping only the run that reaches the cursor', () => {
    const page = [message(48), message(49), message(50)];
    expect(threadFromStored({ oldestSeq: 1, syncedSeq: 50 }, page)).toMatchObject({
      oldestSeq: 48,
      syncedSeq: 50,
      messages: page,
    });
    // A hole in what was stored: the part below it is not claimed.
    const holed = threadFromStored({ oldestSeq: 1, syncedSeq: 50 }, [message(47), message(50)]);
    expect(holed).toMatchObject({ oldestSeq: 50, syncedSeq: 50 });
    expect(threadFromStored({ oldestSeq: 1, syncedSeq: 50 }, [message(49)])).toBeNull();
    expect(threadFromStored({ oldestSeq: 1, syncedSeq: 0 }, [])).toEqual(EMPTY_THREAD);
  });

  it('page back from the device only over a run that ends where the thread begins', () => {
    const restored = threadFromStored({ oldestSeq: 1, syncedSeq: 50 }, [message(49), message(50)])!;
    const stored = olderPageFromStored(49, [message(46), message(47), message(48)]);
    expect(stored).toEqual({ messages: [message(46), message(47), message(48)], hasMore: true });
    expect(addOlder(restored, stored!)).toMatchObject({ oldestSeq: 46, syncedSeq: 50 });
    expect(olderPageFromStored(49, [message(46), message(47)])).toBeNull();
    expect(olderPageFromStored(3, [message(1), message(2)])).toMatchObject({ hasMore: false });
  });

  it('are restored from the device’s newest page, and older pages come from its range', async () => {
    const device = new MemoryDeviceStore();
    const all = Array.from({ length: 120 }, (_, index) => message(index + 1));
    await device.saveThread(
      { conversationId: 'c1', oldestSeq: 1, syncedSeq: 120, changeSeq: 0 },
      all,
    );
    const snapshot = await device.load(50);
    expect(snapshot.threads[0]!.messages.map((item) => item.seq)).toEqual(
      all.slice(70).map((item) => item.seq),
    );
    const older = await device.loadOlder('c1', 71, 50);
    expect(older.map((item) => item.seq)).toEqual(all.slice(20, 70).map((item) => item.seq));
    expect((await device.loadOlder('c1', 21, 50)).map((item) => item.seq)).toEqual(
      all.slice(0, 20).map((item) => item.seq),
    );
    expect(await device.loadOlder('c1', 1, 50)).toEqual([]);
    expect(await device.loadOlder('elsewhere', 10, 50)).toEqual([]);
  });

  it('join when two tabs store ranges that touch, and never claim what nobody fetched', () => {
    const cursor = (oldestSeq: number, syncedSeq: number, changeSeq = 0) => ({
      conversationId: 'c1',
      oldestSeq,
      syncedSeq,
      changeSeq,
    });
    expect(mergeCursors(cursor(1, 10), cursor(8, 15))).toEqual(cursor(1, 15));
    // Joined, the higher change cursor stands: both tabs wrote the changes they applied.
    expect(mergeCursors(cursor(1, 10, 7), cursor(8, 15, 3))).toEqual(cursor(1, 15, 7));
    expect(mergeCursors(cursor(1, 3, 9), cursor(8, 12, 2))).toEqual(cursor(8, 12, 2));
    expect(mergeCursors(cursor(1, 10), cursor(11, 12))).toEqual(cursor(1, 12));
    expect(mergeCursors(cursor(1, 3), cursor(8, 12))).toEqual(cursor(8, 12));
    expect(mergeCursors(cursor(8, 12), cursor(1, 3))).toEqual(cursor(8, 12));
    expect(mergeCursors(undefined, cursor(1, 0))).toEqual(cursor(1, 0));
  });
});

describe('receipts and ticks', () => {
  it('show sent, then delivered, then read for the viewer’s own messages', () => {
    const mine = message(3, 'alice');
    expect(statusOf(mine, summary({ deliveredToAllSeq: 2, readByAllSeq: 1 }))).toBe('sent');
    expect(statusOf(mine, summary({ deliveredToAllSeq: 3, readByAllSeq: 1 }))).toBe('delivered');
    expect(statusOf(mine, summary({ deliveredToAllSeq: 5, readByAllSeq: 3 }))).toBe('read');
  });

  it('move the viewer’s own markers only for the viewer’s receipts, and never back', () => {
    const base = summary({ lastSeq: 5, unreadCount: 5 });
    const others = applyReceiptToSummary(
      base,
      {
        conversationId: 'c1',
        userId: 'bob',
        deliveredSeq: 5,
        readSeq: 4,
        deliveredToAllSeq: 5,
        readByAllSeq: 4,
      },
      'alice',
    );
    expect(others).toMatchObject({
      readSeq: 0,
      unreadCount: 5,
      deliveredToAllSeq: 5,
      readByAllSeq: 4,
    });
    const mine = applyReceiptToSummary(
      others,
      {
        conversationId: 'c1',
        userId: 'alice',
        deliveredSeq: 5,
        readSeq: 5,
        deliveredToAllSeq: 3,
        readByAllSeq: 2,
      },
      'alice',
    );
    expect(mine).toMatchObject({
      readSeq: 5,
      unreadCount: 0,
      deliveredToAllSeq: 5,
      readByAllSeq: 4,
    });
  });

  it('merge a server summary fetched before a live message without turning the clock back', () => {
    const local = applyMessageToSummary(summary({ lastSeq: 4 }), message(5), 'alice');
    const stale = summary({ lastSeq: 4, unreadCount: 4, deliveredToAllSeq: 3 });
    const merged = mergeSummary(stale, local);
    expect(merged).toMatchObject({ lastSeq: 5, unreadCount: 5, deliveredToAllSeq: 3 });
    expect(merged.lastMessage?.seq).toBe(5);
  });
});

describe('a membership that ended', () => {
  it('keeps the conversation and what the device knew, read-only, with no members to show', () => {
    const group = summary({ kind: 'group', lastSeq: 6, memberCount: 3, readByAllSeq: 5 });
    expect(isFormerMember(group)).toBe(false);
    const ended = applyMembershipEnded(group, {
      conversationId: 'c1',
      membership: 'removed',
      lastSeq: 6,
    });
    expect(ended).toMatchObject({ membership: 'removed', lastSeq: 6, memberCount: 0 });
    expect(isFormerMember(ended)).toBe(true);
    // The server's list shows no receipts after the removal; the ticks seen before stay.
    const fromServer = summary({
      kind: 'group',
      membership: 'removed',
      lastSeq: 6,
      readSeq: 6,
      memberCount: 0,
      readByAllSeq: 0,
    });
    expect(mergeSummary(fromServer, ended)).toMatchObject({
      membership: 'removed',
      readByAllSeq: 5,
      unreadCount: 0,
    });
  });

  it('is not assumed for a summary stored before memberships could end', () => {
    const stored = { ...summary({ kind: 'group' }) } as Partial<ConversationSummary>;
    delete stored.membership;
    expect(isFormerMember(stored as ConversationSummary)).toBe(false);
  });
});
