// How the list is arranged: pinned chats on top, archived ones apart until a message that is
// not muted brings them back, and what the tab's title counts.

import { describe, expect, it } from 'vitest';
import { applyFlags, arrangeMainList, listArchived } from '../../hooks/chat-list';
import { isArchivedNow } from '../../protocol';
import { applyMessageToSummary, countUnread } from '../../hooks/chat-state';
import { message, summary } from './fake-requests';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

describe('the main list', () => {
  it('puts pinned chats on top, the last pinned first, and leaves archived ones out', () => {
    const list = [
      summary({ id: 'newest', lastActivityAt: at(9) }),
      summary({ id: 'pinned-first', lastActivityAt: at(8), pinnedAt: at(1) }),
      summary({ id: 'archived', lastActivityAt: at(7), archivedAt: at(8) }),
      summary({ id: 'older', lastActivityAt: at(6) }),
      summary({ id: 'pinned-last', lastActivityAt: at(5), pinnedAt: at(2) }),
    ];
    expect(arrangeMainList(list).map((item) => item.id)).toEqual([
      'pinned-last',
      'pinned-first',
      'newest',
      'older',
    ]);
    expect(listArchived(list).map((item) => item.id)).toEqual(['archived']);
  });

  it('is the list itself when nothing is pinned or archived', () => {
    const list = [summary({ id: 'a' }), summary({ id: 'b' })];
    expect(arrangeMainList(list)).toBe(list);
  });

  it('takes a summary stored before pins and archiving existed as neither', () => {
    const old = summary();
    delete (old as Partial<typeof old>).pinnedAt;
    delete (old as Partial<typeof old>).archivedAt;
    expect(isArchivedNow(old)).toBe(false);
    expect(arrangeMainList([old])).toEqual([old]);
  });
});

describe('an archived chat', () => {
  const archived = summary({
    lastActivityAt: at(1),
    archivedAt: at(2),
    lastSeq: 2,
    unreadCount: 2,
  });

  it('comes back with a new message when it is not muted, and counts again', () => {
    expect(isArchivedNow(archived)).toBe(true);
    expect(countUnread([archived])).toBe(0);
    const after = applyMessageToSummary(archived, message(3), 'alice');
    expect(isArchivedNow(after)).toBe(false);
    expect(countUnread([after])).toBe(3);
  });

  it('stays archived when muted', () => {
    const muted = { ...archived, isMuted: true };
    expect(isArchivedNow(applyMessageToSummary(muted, message(3), 'alice'))).toBe(true);
  });

  it('takes the flags the server answered, and stays the same object when they are the same', () => {
    const flags = { conversationId: 'c1', isMuted: true, pinnedAt: null, archivedAt: null };
    const changed = applyFlags(archived, flags);
    expect(changed).toMatchObject({ isMuted: true, archivedAt: null });
    expect(applyFlags(changed, flags)).toBe(changed);
  });
});
