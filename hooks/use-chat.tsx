'use client';
// React access to the ChatClient: one client per signed-in page tree, read with selectors.

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ConversationSummary, UserSummary } from '../protocol';
import { ChatClient } from './chat-client';
import { displayNameOf, type ChatState, type PendingMessage } from './chat-state';
import { MemoryDeviceStore } from './device-store';
import { IndexedDbDeviceStore } from './indexeddb-store';

const ChatContext = createContext<ChatClient | null>(null);

export function ChatProvider({ me, children }: { me: UserSummary; children: ReactNode }) {
  const [client] = useState(
    () =>
      new ChatClient(me, {
        // Without IndexedDB (some private modes) the device keeps nothing across reloads.
        store:
          typeof indexedDB === 'undefined'
            ? new MemoryDeviceStore()
            : new IndexedDbDeviceStore(me.id),
        // The message list says what has been on screen (components/message-list.tsx).
        marksReadWhenSeen: true,
      }),
  );
  useEffect(() => {
    void client.start();
    const onVisible = () => client.markActiveRead();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
      client.stop();
    };
  }, [client]);
  return <ChatContext.Provider value={client}>{children}</ChatContext.Provider>;
}

export function useChatClient(): ChatClient {
  const client = useContext(ChatContext);
  if (!client) throw new Error('useChatClient must be used inside <ChatProvider>.');
  return client;
}

/**
 * A slice of the chat state; re-renders only when the selected value changes (by identity),
 * so a selector must return something the state holds, not a new object or array.
 */
export function useChatState<T>(select: (state: ChatState) => T): T {
  return useStore(useChatClient().store, select);
}

export function useConversation(conversationId: string): ConversationSummary | undefined {
  return useChatState((state) => state.conversations.find((item) => item.id === conversationId));
}

/** The outbox of one conversation; re-renders only when that part of the outbox changes. */
export function usePending(conversationId: string): PendingMessage[] {
  return useChatState(
    useShallow((state) => state.pending.filter((item) => item.conversationId === conversationId)),
  );
}

/** The name to show for a person (their display name, as last told), re-rendered when it changes. */
export function usePersonName(user: {
  id: string;
  username: string;
  displayName?: string | undefined;
}): string {
  return useChatState((state) => displayNameOf(state.people, user));
}
