'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { useChatClient, useChatState } from '../hooks/use-chat';
import { Composer } from './composer';
import { MessageList } from './message-list';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const client = useChatClient();
  const summary = useChatState((state) =>
    state.conversations.find((item) => item.id === conversationId),
  );
  const isListLoaded = useChatState((state) => state.isListLoaded);

  useEffect(() => {
    client.openConversation(conversationId);
    return () => client.openConversation(null);
  }, [client, conversationId]);

  if (!summary && isListLoaded) {
    return (
      <section className="conversation conversation--missing">
        <p>This conversation does not exist, or you are not in it.</p>
        <Link href="/chats">Back to your chats</Link>
      </section>
    );
  }
  return (
    <section className="conversation" aria-label={summary ? `Chat with ${summary.title}` : 'Chat'}>
      <header className="conversation__header">
        <Link href="/chats" className="conversation__back" aria-label="Back to chats">
          ‹
        </Link>
        <span className="avatar" aria-hidden="true">
          {summary?.title.slice(0, 1).toUpperCase()}
        </span>
        <h2 className="conversation__title" data-testid="conversation-title">
          {summary?.title ?? ''}
        </h2>
      </header>
      <MessageList conversationId={conversationId} />
      <Composer key={conversationId} conversationId={conversationId} />
    </section>
  );
}
