'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { forgetCachedUser } from '../hooks/session-cache';
import { useChatClient, useChatState } from '../hooks/use-chat';
import { ConnectionStatus } from './connection-status';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import { NewChatForm } from './new-chat-form';
import { NewGroupForm } from './new-group-form';
import { NotificationsToggle } from './notifications-toggle';
import { SignOutButton } from './sign-out-button';
import { SignOutEverywhereButton } from './sign-out-everywhere-button';

/** Two panes like WhatsApp Web; on a narrow screen, one at a time. */
export function ChatShell({ conversationId }: { conversationId: string | null }) {
  const router = useRouter();
  const client = useChatClient();
  const me = useChatState((state) => state.me);
  const isSessionEnded = useChatState((state) => state.isSessionEnded);
  const isAdmin = useChatState((state) => state.isAdmin);
  const [isCreatingGroup, setIsCreatingGroup] = useState(false);

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
          {isAdmin && (
            <Link className="button button--quiet sidebar__link" href="/admin">
              Admin
            </Link>
          )}
          <SignOutButton />
          <SignOutEverywhereButton />
        </header>
        <NewChatForm />
        {isCreatingGroup ? (
          <NewGroupForm onDone={() => setIsCreatingGroup(false)} />
        ) : (
          <div className="sidebar__actions">
            <button
              type="button"
              className="button button--quiet"
              onClick={() => setIsCreatingGroup(true)}
            >
              New group
            </button>
            <NotificationsToggle />
          </div>
        )}
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
