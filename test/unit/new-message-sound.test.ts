// When the new-message chime plays (hooks/new-message-sound.ts): the rules on the chat state,
// and the rate limit. The sound itself is heard in e2e/look-and-feel.spec.ts.

import { describe, expect, it } from 'vitest';
import { applyMessageToSummary } from '../../hooks/chat-state';
import { hasNewIncomingMessage, rateLimited } from '../../hooks/new-message-sound';
import type { ConversationSummary } from '../../protocol';
import { message, summary } from './fake-requests';

const ME = 'alice';

/** The list before and after `seq` arrived from `senderId` in the conversation `before`. */
function arrival(before: ConversationSummary, seq: number, senderId: string) {
  const after = applyMessageToSummary(before, message(seq, senderId, before.id), ME);
  return {
    previous: { conversations: [before], isListLoaded: true },
    next: { conversations: [after] },
  };
}

describe('hasNewIncomingMessage', () => {
  it("is true for someone else's new message", () => {
    const { previous, next } = arrival(summary(), 1, 'bob');
    expect(hasNewIncomingMessage(previous, next, ME)).toBe(true);
  });

  it('is false for one of my own messages (from this or another device)', () => {
    const { previous, next } = arrival(summary(), 1, ME);
    expect(hasNewIncomingMessage(previous, next, ME)).toBe(false);
  });

  it('is false in a muted conversation', () => {
    const { previous, next } = arrival(summary({ isMuted: true }), 1, 'bob');
    expect(hasNewIncomingMessage(previous, next, ME)).toBe(false);
  });

  it('is false when nothing new arrived (a preview edited, a count read elsewhere)', () => {
    const held = applyMessageToSummary(summary(), message(1, 'bob'), ME);
    const previous = { conversations: [held], isListLoaded: true };
    expect(hasNewIncomingMessage(previous, { conversations: [{ ...held }] }, ME)).toBe(false);
    const read = { ...held, readSeq: 1, unreadCount: 0 };
    expect(hasNewIncomingMessage(previous, { conversations: [read] }, ME)).toBe(false);
  });

  it('is false for a message already read on another device, or a system message', () => {
    const read = arrival(summary(), 1, 'bob');
    read.next.conversations = [{ ...read.next.conversations[0]!, readSeq: 1 }];
    expect(hasNewIncomingMessage(read.previous, read.next, ME)).toBe(false);
    const system = arrival(summary(), 1, 'bob');
    const item = system.next.conversations[0]!;
    system.next.conversations = [
      { ...item, lastMessage: { ...item.lastMessage!, kind: 'system' } },
    ];
    expect(hasNewIncomingMessage(system.previous, system.next, ME)).toBe(false);
  });

  it('counts a conversation new to the list only once the list had been loaded', () => {
    const started = applyMessageToSummary(summary({ id: 'c2' }), message(1, 'bob', 'c2'), ME);
    const next = { conversations: [started] };
    // Someone started a chat while the page was open.
    expect(hasNewIncomingMessage({ conversations: [], isListLoaded: true }, next, ME)).toBe(true);
    // The list restored from the device, or loaded at start.
    expect(hasNewIncomingMessage({ conversations: [], isListLoaded: false }, next, ME)).toBe(false);
  });
});

describe('rateLimited', () => {
  it('plays at most once per interval, and again after it', () => {
    let played = 0;
    const play = rateLimited(2_000, () => {
      played += 1;
    });
    expect(play(10_000)).toBe(true);
    expect(play(10_500)).toBe(false);
    expect(play(11_999)).toBe(false);
    expect(play(12_000)).toBe(true);
    expect(played).toBe(2);
  });
});
