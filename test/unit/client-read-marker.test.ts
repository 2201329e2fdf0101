// The read marker (hooks/client/commands.ts): a page's client moves it only as far as its view
// has shown, a client without a view marks the open conversation read whole.

import { describe, expect, it } from 'vitest';
import { threadFromNewestPage } from '../../hooks/chat-state';
import { ChatCommands } from '../../hooks/client/commands';
import { createChatStore, patch, summaryOf, update } from '../../hooks/client/store';
import type { Request } from '../../hooks/client/transport';
import { ClientEvent } from '../../protocol';
import { message, summary, type Call } from './fake-requests';

/** alice has conversation c1 open, with bob's messages 1 to 5 held and none read. */
function aliceReading(marksReadWhenSeen: boolean) {
  const store = createChatStore({ id: 'alice', username: 'alice' });
  const calls: Call[] = [];
  const request = (async (event: string, payload: Record<string, unknown>) => {
    calls.push({ event, payload } as Call);
    return { ok: true, readSeq: payload.seq };
  }) as unknown as Request;
  const commands = new ChatCommands({
    request,
    isConnected: () => true,
    store,
    isVisible: () => true,
    marksReadWhenSeen,
  });
  const messages = [1, 2, 3, 4, 5].map((seq) => message(seq));
  update(store, (state) => ({
    ...state,
    conversations: [summary({ lastSeq: 5, unreadCount: 5 })],
    threads: { c1: threadFromNewestPage({ messages, hasMore: false }) },
  }));
  patch(store, { activeConversationId: 'c1' });
  const readMarks = () =>
    calls
      .filter((call) => call.event === ClientEvent.ConversationMarkRead)
      .map((call) => call.payload);
  return { store, commands, readMarks };
}

describe('the read marker', () => {
  it('moves only as far as the view has shown, never back', () => {
    const { store, commands, readMarks } = aliceReading(true);
    commands.markActiveRead();
    expect(readMarks()).toEqual([]);

    commands.markSeen('c1', 3);
    expect(readMarks()).toEqual([{ conversationId: 'c1', seq: 3 }]);
    expect(summaryOf(store.getState(), 'c1')?.unreadCount).toBe(2);

    commands.markSeen('c1', 2);
    commands.markActiveRead();
    expect(readMarks()).toHaveLength(1);

    commands.markSeen('c1', 5);
    expect(readMarks().at(-1)).toEqual({ conversationId: 'c1', seq: 5 });
    expect(summaryOf(store.getState(), 'c1')?.unreadCount).toBe(0);
  });

  it('waits for the conversation to be open to mark what was seen in it', () => {
    const { store, commands, readMarks } = aliceReading(true);
    patch(store, { activeConversationId: null });
    commands.markSeen('c1', 4);
    expect(readMarks()).toEqual([]);
    patch(store, { activeConversationId: 'c1' });
    commands.markActiveRead();
    expect(readMarks()).toEqual([{ conversationId: 'c1', seq: 4 }]);
  });

  it('clears the unread count of a group one left when it is read, and tells the server nothing', () => {
    const { store, commands, readMarks } = aliceReading(true);
    update(store, (state) => ({
      ...state,
      conversations: state.conversations.map((item) => ({ ...item, membership: 'removed' })),
    }));
    commands.markSeen('c1', 5);
    expect(summaryOf(store.getState(), 'c1')?.unreadCount).toBe(0);
    expect(readMarks()).toEqual([]);
  });

  it('marks the open conversation read whole for a client without a view', () => {
    const { commands, readMarks } = aliceReading(false);
    commands.markActiveRead();
    expect(readMarks()).toEqual([{ conversationId: 'c1', seq: 5 }]);
  });
});
