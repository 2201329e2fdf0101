// The pure rules for changes to messages (hooks/message-changes.ts, hooks/chat-state.ts,
// hooks/message-abilities.ts): applied in any order and any number of times, they end in the
// same state; unread counts, previews and the change cursor follow.

import { describe, expect, it } from 'vitest';
import {
  addForward,
  applyMessageToSummary,
  applyReadToSummary,
  applyUnreadPosition,
  EMPTY_THREAD,
  mergeMessages,
  mergeSummary,
  threadFromNewestPage,
  type Thread,
} from '../../hooks/chat-state';
import { MemoryDeviceStore } from '../../hooks/device-store';
import { abilitiesOf, groupReactions, myReaction } from '../../hooks/message-abilities';
import {
  applyChangesToSummary,
  applyChangesToThread,
  applyChangesToUnread,
  heldOriginal,
  isUnreadUnknownAfter,
  placeOfChange,
} from '../../hooks/message-changes';
import type { ClientLimits, Message } from '../../protocol';
import { message, summary } from './fake-requests';

const bob = { id: 'bob', username: 'bob' };
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => message(from + index));
const alice = { id: 'alice', username: 'alice' };

const edited = (seq: number, changeSeq: number, body = `edited ${changeSeq}`): Message => ({
  ...message(seq),
  body,
  changeSeq,
  editedAt: new Date(Date.UTC(2026, 0, 1, 0, 5, changeSeq)).toISOString(),
});

const deleted = (seq: number, changeSeq: number, by = bob): Message => ({
  ...message(seq),
  body: '',
  changeSeq,
  deleted: { at: '2026-01-01T00:10:00.000Z', by },
});

const reacted = (seq: number, changeSeq: number, emojis: [string, string][]): Message => ({
  ...message(seq),
  changeSeq,
  reactions: emojis.map(([userId, emoji]) => ({ user: { id: userId, username: userId }, emoji })),
});

const hidden = (seq: number, changeSeq: number): Message => ({
  ...message(seq),
  body: '',
  changeSeq,
  isHidden: true,
});

const held = (to: number): Thread =>
  addForward(
    EMPTY_THREAD,
    Array.from({ length: to }, (_, index) => message(index + 1)),
  );

/** Every order of a list (for a handful of items). */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

describe('changes to held messages', () => {
  it('end in the newest state whatever order they arrive in, and however often', () => {
    const changes = [edited(2, 1), reacted(2, 2, [['alice', '👍']]), deleted(2, 3), edited(3, 4)];
    for (const order of permutations(changes)) {
      let thread = held(3);
      for (const change of [...order, ...order])
        thread = applyChangesToThread(thread, [change], null);
      expect(thread.messages.map((item) => item.body)).toEqual(['message 1', '', 'edited 4']);
      expect(thread.messages[1]).toEqual(deleted(2, 3));
    }
  });

  it('leave the thread as it is when applied again, even as fresh copies', () => {
    const thread = applyChangesToThread(held(3), [edited(2, 1)], 1);
    expect(applyChangesToThread(thread, [{ ...edited(2, 1) }], 1)).toBe(thread);
    const withReactions = applyChangesToThread(thread, [reacted(3, 2, [['bob', '❤️']])], 2);
    const copy = JSON.parse(JSON.stringify(reacted(3, 2, [['bob', '❤️']]))) as Message;
    expect(applyChangesToThread(withReactions, [copy], 2)).toBe(withReactions);
  });

  it('are never undone by a page fetched before them', () => {
    const thread = applyChangesToThread(held(3), [edited(2, 5)], 5);
    // A sync page that left the server before the edit: message 2 as it was.
    expect(mergeMessages(thread.messages, [message(2)])).toBe(thread.messages);
    expect(addForward(thread, [message(2), message(3)])).toBe(thread);
  });

  it('move the change cursor only when they follow on from it', () => {
    const thread = held(3);
    expect(applyChangesToThread(thread, [edited(1, 1)], 1).changeSeq).toBe(1);
    expect(applyChangesToThread(thread, [edited(1, 3)], null).changeSeq).toBe(0);
    const ahead = applyChangesToThread(thread, [edited(1, 4)], 4);
    expect(applyChangesToThread(ahead, [edited(2, 2)], 2).changeSeq).toBe(4);
  });

  it('leave out of memory the messages older than the thread holds', () => {
    const thread = threadFromNewestPage({ messages: [message(9), message(10)], hasMore: true }, 0);
    const after = applyChangesToThread(thread, [edited(3, 1), edited(10, 2)], 2);
    expect(after.messages.map((item) => item.seq)).toEqual([9, 10]);
    expect(after.messages[1]!.body).toBe('edited 2');
    expect(after.changeSeq).toBe(2);
  });
});

describe('a pushed change against the change cursor', () => {
  it('is applied when it follows on, ignored when held, and a gap otherwise', () => {
    expect(placeOfChange(4, { changeSeq: 5, previousChangeSeq: 4 })).toBe('apply');
    expect(placeOfChange(5, { changeSeq: 5, previousChangeSeq: 4 })).toBe('ignore');
    expect(placeOfChange(9, { changeSeq: 5, previousChangeSeq: 4 })).toBe('ignore');
    expect(placeOfChange(2, { changeSeq: 5, previousChangeSeq: 4 })).toBe('gap');
  });
});

describe('the unread count', () => {
  /** A change as the app applies it: to the thread, then to the count held before it. */
  function change(current: { summary: ReturnType<typeof summary>; thread: Thread }, m: Message[]) {
    const thread = applyChangesToThread(current.thread, m, null);
    return {
      thread,
      summary: applyChangesToUnread(current.summary, current.thread, m, 'alice'),
    };
  }

  it('is lowered by an unread message deleted for everyone while held, once however often it comes', () => {
    let current = { summary: summary({ lastSeq: 5, readSeq: 2, unreadCount: 3 }), thread: held(5) };
    for (let time = 0; time < 2; time++) {
      current = change(current, [deleted(4, 1)]);
      expect(current.summary.unreadCount).toBe(2);
    }
  });

  it('is lowered by a message hidden for the viewer, not by an edit, a read one or the viewer’s own', () => {
    const unread = summary({ lastSeq: 5, readSeq: 2, unreadCount: 3 });
    const mine = { ...deleted(3, 4), senderId: 'alice' };
    const after = applyChangesToUnread(
      unread,
      held(5),
      [edited(3, 1), hidden(5, 2), deleted(1, 3), mine],
      'alice',
    );
    expect(after.unreadCount).toBe(2);
  });

  it('cannot be counted from a change to an unread message the device does not hold', () => {
    // 60 unread, the newest 50 held: the server left out message 5, deleted before.
    const server = summary({ lastSeq: 60, readSeq: 0, unreadCount: 59 });
    const thread = threadFromNewestPage({ messages: range(11, 60), hasMore: true }, 0);
    expect(isUnreadUnknownAfter(server, thread, [deleted(7, 2)], 'alice')).toBe(true);
    expect(isUnreadUnknownAfter(server, thread, [deleted(55, 2), edited(7, 3)], 'alice')).toBe(
      false,
    );
    // Not counted by itself: the server's count comes instead.
    expect(applyChangesToUnread(server, thread, [deleted(7, 2)], 'alice')).toBe(server);
    expect(applyChangesToUnread(server, thread, [deleted(55, 2)], 'alice').unreadCount).toBe(58);
    expect(
      applyUnreadPosition(server, { unreadCount: 58, lastSeq: 60, readSeq: 0 }).unreadCount,
    ).toBe(58);
  });

  it('takes the server’s count, moved to the messages that reached one side and not the other', () => {
    const local = summary({ lastSeq: 10, readSeq: 2, unreadCount: 8 });
    // One unread was deleted; the server's count is as of lastSeq 9 (10 arrived since) ...
    expect(applyUnreadPosition(local, { unreadCount: 6, lastSeq: 9, readSeq: 2 }).unreadCount).toBe(
      7,
    );
    // ... or as of 11, still on its way here: it counts when it arrives.
    const fresh = applyUnreadPosition(local, { unreadCount: 8, lastSeq: 11, readSeq: 2 });
    expect(fresh.unreadCount).toBe(7);
    expect(applyMessageToSummary(fresh, message(11), 'alice').unreadCount).toBe(8);
    // A read the server has and the device not yet.
    expect(applyUnreadPosition(local, { unreadCount: 3, lastSeq: 10, readSeq: 7 })).toMatchObject({
      readSeq: 7,
      unreadCount: 3,
    });
  });

  it('keeps out what the server left out when a summary is merged or a message arrives', () => {
    // The server counted 2 of 3 unread: one of them was deleted.
    const fresh = summary({ lastSeq: 5, readSeq: 2, unreadCount: 2 });
    expect(
      mergeSummary(fresh, summary({ lastSeq: 5, readSeq: 2, unreadCount: 3 })).unreadCount,
    ).toBe(2);
    expect(applyMessageToSummary(fresh, message(6), 'alice').unreadCount).toBe(3);
    // A new message that arrives deleted is not unread.
    expect(applyMessageToSummary(fresh, deleted(6, 1), 'alice').unreadCount).toBe(2);
    // Reading only lowers it.
    expect(applyReadToSummary(fresh, 4).unreadCount).toBe(1);
    expect(applyReadToSummary(fresh, 5).unreadCount).toBe(0);
  });

  it('is counted exactly on a read when the device holds what was read or what stays unread', () => {
    // 100 unread, message 80 deleted: the server counts 99; the newest 50 are held.
    const server = summary({ lastSeq: 100, readSeq: 0, unreadCount: 99 });
    const newest = range(51, 100).map((item) => (item.seq === 80 ? deleted(80, 1) : item));
    const thread = threadFromNewestPage({ messages: newest, hasMore: true }, 1);
    const byAlice = { thread, meId: 'alice' };
    expect(applyReadToSummary(server, 60, byAlice).unreadCount).toBe(39);
    const read = applyReadToSummary(server, 60, byAlice);
    expect(applyReadToSummary(read, 90, byAlice).unreadCount).toBe(10);
    // Without the messages, reading only lowers it.
    expect(applyReadToSummary(server, 60).unreadCount).toBe(40);
  });
});

describe('the conversation preview', () => {
  const last = () => applyMessageToSummary(summary({ lastSeq: 2 }), message(3), 'alice');

  it('follows an edit and a deletion of the last message', () => {
    const thread = held(3);
    const afterEdit = applyChangesToSummary(last(), [edited(3, 1, 'fixed')], 1, thread);
    expect(afterEdit.lastMessage).toMatchObject({ seq: 3, body: 'fixed', isEdited: true });
    expect(afterEdit.lastChangeSeq).toBe(1);
    const afterDelete = applyChangesToSummary(afterEdit, [deleted(3, 2)], 2, thread);
    expect(afterDelete.lastMessage).toMatchObject({ seq: 3, body: '', isDeleted: true });
    expect(afterDelete.lastMessage?.isEdited).toBeUndefined();
  });

  it('ignores changes to other messages, and stays the same object', () => {
    const before = last();
    const after = applyChangesToSummary(before, [edited(1, 1)], 0, undefined);
    expect(after).toBe(before);
  });

  it('shows the message before one hidden by the viewer, when held', () => {
    const thread = applyChangesToThread(held(3), [hidden(3, 1)], 1);
    const after = applyChangesToSummary(last(), [hidden(3, 1)], 1, thread);
    expect(after.lastMessage).toMatchObject({ seq: 2, body: 'message 2' });
  });

  it('shows no last message once every held one is hidden (a cleared chat)', () => {
    const cleared = [hidden(1, 1), hidden(2, 2), hidden(3, 3)];
    const thread = applyChangesToThread(held(3), cleared, 3);
    expect(applyChangesToSummary(last(), cleared, 3, thread).lastMessage).toBeNull();
    // Not held: the device knows nothing older to show, and keeps what it has.
    expect(applyChangesToSummary(last(), cleared, 3, undefined).lastMessage).toMatchObject({
      seq: 3,
    });
  });
});

describe('quotes', () => {
  it('come from the original as held now, unless it is not held or hidden', () => {
    const thread = applyChangesToThread(held(3), [deleted(1, 1), hidden(3, 2)], 2);
    expect(heldOriginal(thread, 1)?.deleted?.by).toEqual(bob);
    expect(heldOriginal(thread, 2)?.body).toBe('message 2');
    expect(heldOriginal(thread, 3)).toBeUndefined();
    expect(heldOriginal(thread, 9)).toBeUndefined();
  });
});

describe('the device store', () => {
  it('keeps a message’s later state when an older one is written after it', async () => {
    const device = new MemoryDeviceStore();
    const cursor = { conversationId: 'c1', oldestSeq: 1, syncedSeq: 2, changeSeq: 3 };
    await device.saveThread(cursor, [message(1), edited(2, 3)]);
    await device.saveThread({ ...cursor, changeSeq: 0 }, [message(2)]);
    const snapshot = await device.load(50);
    expect(snapshot.threads[0]).toMatchObject({ changeSeq: 3 });
    expect(snapshot.threads[0]!.messages.map((item) => item.body)).toEqual([
      'message 1',
      'edited 3',
    ]);
  });
});

describe('what the viewer may do with a message', () => {
  const limits: ClientLimits = {
    maxMessageLength: 4096,
    editWindowMinutes: 15,
    deleteWindowHours: 48,
  };
  const sentAt = Date.parse(message(1).createdAt);
  const mine = { ...message(1), senderId: 'alice', senderUsername: 'alice' };
  const context = (minutesLater: number, patch = {}) => ({
    meId: 'alice',
    summary: summary(patch),
    limits,
    now: sentAt + minutesLater * 60_000,
  });

  it('edits their own text within the edit window only', () => {
    expect(abilitiesOf(mine, context(14)).canEdit).toBe(true);
    expect(abilitiesOf(mine, context(15)).canEdit).toBe(false);
    expect(abilitiesOf(message(1), context(1)).canEdit).toBe(false);
    expect(abilitiesOf(deleted(1, 1), context(1)).canEdit).toBe(false);
    expect(
      abilitiesOf(mine, { ...context(1), limits: { ...limits, editWindowMinutes: 0 } }).canEdit,
    ).toBe(false);
  });

  it('deletes for everyone their own within the window, or anything as a group admin', () => {
    expect(abilitiesOf(mine, context(47 * 60)).canDeleteForEveryone).toBe(true);
    expect(abilitiesOf(mine, context(48 * 60)).canDeleteForEveryone).toBe(false);
    expect(abilitiesOf(message(1), context(1)).canDeleteForEveryone).toBe(false);
    const admin = context(99 * 60, { kind: 'group', myRole: 'admin' });
    expect(abilitiesOf(message(1), admin).canDeleteForEveryone).toBe(true);
    expect(abilitiesOf(message(1), context(1)).canDeleteForMe).toBe(true);
  });

  it('acts on nothing once no longer a member, and never on system messages', () => {
    const former = abilitiesOf(message(1), context(1, { kind: 'group', membership: 'left' }));
    expect(former).toMatchObject({ canReply: false, canReact: false, canDeleteForMe: false });
    expect(former.canCopy).toBe(true);
    const system = abilitiesOf({ ...message(1), kind: 'system' }, context(1));
    expect(system).toMatchObject({ canReply: false, canReact: false, canForward: false });
  });

  it('reports someone else’s text that is still there, also after leaving', () => {
    expect(abilitiesOf(message(1), context(1)).canReport).toBe(true);
    expect(abilitiesOf(mine, context(1)).canReport).toBe(false);
    expect(abilitiesOf(deleted(1, 1), context(1)).canReport).toBe(false);
    expect(abilitiesOf({ ...message(1), kind: 'system' }, context(1)).canReport).toBe(false);
    const former = context(1, { kind: 'group', membership: 'left' });
    expect(abilitiesOf(message(1), former).canReport).toBe(true);
  });
});

describe('reactions', () => {
  it('are grouped by emoji in the order first used, with the viewer’s own marked', () => {
    const item = reacted(1, 1, [
      ['bob', '👍'],
      ['alice', '❤️'],
      ['carol', '👍'],
    ]);
    expect(groupReactions(item.reactions, 'alice')).toEqual([
      { emoji: '👍', users: [bob, { id: 'carol', username: 'carol' }], isMine: false },
      { emoji: '❤️', users: [alice], isMine: true },
    ]);
    expect(myReaction(item, 'alice')).toBe('❤️');
    expect(myReaction(item, 'dave')).toBeNull();
  });
});
