'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { forgetCachedUser } from '../hooks/session-cache';
import { useChatClient, useChatState } from '../hooks/use-chat';
import { ConnectionStatus } from './connection-status';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import { NewChatForm } from './new-chat-form';
import { SignOutButton } from './sign-out-button';

/** Two panes like WhatsApp Web; on a narrow screen, one at a time. */
export function ChatShell({ conversationId }: { conversationId: string | null }) {
  const router = useRouter();
  const client = useChatClient();
  const me = useChatState((state) => state.me);
  const isSessionEnded = useChatState((state) => state.isSessionEnded);

  useEffect(() => {
    if (!isSessionEnded) return;
    // Signed out elsewhere, or expired: nothing of this account stays on the device.
    forgetCachedUser();
    void client.forgetDevice().finally(() => router.replace('/sign-in'));
  }, [client, isSessionEnded, router]);

  return (
    <div className={conversationId ? 'shell shell--conversation' : 'shell'}>
      <aside className="sidebar" aria-label="Conversations">
        <header className="sidebar__header">
          <span className="sidebar__me" data-testid="me">
            {me.username}
          </span>
          <ConnectionStatus />
          <SignOutButton />
        </header>
        <NewChatForm />
        <ConversationList activeId={conversationId} />
      </aside>
      <div className="pane">
        {conversationId ? (
          <ConversationView key={conversationId} conversationId={conversationId} />
        ) : (
          <section className="pane__empty">
            <h2>Parley</h2>
            <p>Pick a conversation, or start one with a username.</p>
          </section>
        )}
      </div>
    </div>
  );
}
