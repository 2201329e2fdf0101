'use client';
// React access to the ChatClient: one client per signed-in page tree, read with selectors.

import {
  createContext,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { UserSummary } from '../protocol';
import { ChatClient } from './chat-client';
import type { ChatState } from './chat-state';
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

/** A slice of the chat state; re-renders only when the selected value changes (by identity). */
export function useChatState<T>(select: (state: ChatState) => T): T {
  const client = useChatClient();
  return useSyncExternalStore(
    client.subscribe,
    () => select(client.getState()),
    () => select(client.getState()),
  );
}
