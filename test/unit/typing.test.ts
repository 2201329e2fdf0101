import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyTyping, describeTyping } from '../../hooks/chat-state';
import { createChatStore, type ChatStore } from '../../hooks/client/store';
import { TypingIndicators } from '../../hooks/client/typing-indicators';
import { TYPING_IDLE_MS, TypingNotifier } from '../../hooks/client/typing-notifier';
import { TYPING_THROTTLE_MS } from '../../protocol';

describe('the typing notifier', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says "typing" at most once per throttle interval, and "stopped" after a pause', () => {
    const sent: [string, boolean][] = [];
    const notifier = new TypingNotifier(
      (id, isTyping) => sent.push([id, isTyping]),
      () => Date.now(),
    );
    notifier.keystroke('c1');
    vi.advanceTimersByTime(1_000);
    notifier.keystroke('c1');
    expect(sent).toEqual([['c1', true]]);
    vi.advanceTimersByTime(TYPING_THROTTLE_MS);
    notifier.keystroke('c1');
    expect(sent).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
    vi.advanceTimersByTime(TYPING_IDLE_MS);
    expect(sent.at(-1)).toEqual(['c1', false]);
  });

  it('says "stopped" once when the draft is cleared, and nothing when it never said "typing"', () => {
    const sent: [string, boolean][] = [];
    const notifier = new TypingNotifier((id, isTyping) => sent.push([id, isTyping]));
    notifier.stop('c1');
    expect(sent).toEqual([]);
    notifier.keystroke('c1');
    notifier.stop('c1');
    notifier.stop('c1');
    vi.advanceTimersByTime(TYPING_IDLE_MS * 2);
    expect(sent).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
  });

  it('says nothing on send (the server says "stopped"), and "typing" at the next keystroke', () => {
    const sent: [string, boolean][] = [];
    const notifier = new TypingNotifier((id, isTyping) => sent.push([id, isTyping]));
    notifier.keystroke('c1');
    notifier.sent('c1');
    notifier.stop('c1');
    vi.advanceTimersByTime(TYPING_IDLE_MS * 2);
    expect(sent).toEqual([['c1', true]]);
    notifier.keystroke('c1');
    expect(sent).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
  });
});

describe('typing indicators', () => {
  const bob = { id: 'b', username: 'bob' };
  const carol = { id: 'c', username: 'carol' };

  it('name one, two or count more people', () => {
    let typing = applyTyping({}, 'c1', bob, 100);
    expect(describeTyping(typing.c1)).toBe('bob is typing…');
    typing = applyTyping(typing, 'c1', carol, 100);
    expect(describeTyping(typing.c1)).toBe('bob and carol are typing…');
    typing = applyTyping(typing, 'c1', { id: 'd', username: 'dave' }, 100);
    expect(describeTyping(typing.c1)).toBe('3 people are typing…');
    typing = applyTyping(typing, 'c1', bob, null);
    expect(describeTyping(typing.c1)).toBe(
      '3 people are typing…'.replace('3 people are', 'carol and dave are'),
    );
    expect(describeTyping(undefined)).toBeNull();
  });

  it('leave the map as it is when someone who was not typing stops', () => {
    const typing = applyTyping({}, 'c1', bob, 100);
    expect(applyTyping(typing, 'c1', carol, null)).toBe(typing);
  });
});

describe('typing updates from the server', () => {
  const bob = { id: 'b', username: 'bob' };
  const typists = (store: ChatStore) => Object.keys(store.getState().typing.c1 ?? {});

  it('ignore an update older than one already seen from the same device', () => {
    const store = createChatStore({ id: 'a', username: 'alice' });
    const indicators = new TypingIndicators(store);
    indicators.set('c1', bob, true, { device: 'phone', order: 2 });
    // The "stopped" of a send, overtaken by the "typing" of the next keystroke.
    indicators.set('c1', bob, false, { device: 'phone', order: 1 });
    expect(typists(store)).toEqual(['b']);
    indicators.set('c1', bob, false, { device: 'phone', order: 3 });
    expect(typists(store)).toEqual([]);
    indicators.stop();
  });

  it('order each device on its own, and a stop the client decides (expiry) clears them all', () => {
    const store = createChatStore({ id: 'a', username: 'alice' });
    const indicators = new TypingIndicators(store);
    indicators.set('c1', bob, true, { device: 'phone', order: 5 });
    indicators.set('c1', bob, false, { device: 'laptop', order: 1 });
    expect(typists(store)).toEqual([]);
    indicators.set('c1', bob, true, { device: 'laptop', order: 2 });
    indicators.set('c1', bob, false);
    expect(typists(store)).toEqual([]);
    indicators.stop();
  });
});
