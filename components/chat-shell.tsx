'use client';

import { useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useChatState } from '../hooks/use-chat';
import { ConnectionStatus } from './connection-status';
import { ConversationList } from './conversation-list';
import { NewChatForm } from './new-chat-form';
import { SignOutButton } from './sign-out-button';

/** Two panes like WhatsApp Web; on a narrow screen, one at a time. */
export function ChatShell({ children }: { children: ReactNode }) {
  const router = useRouter();
  const me = useChatState((state) => state.me);
  const isSessionEnded = useChatState((state) => state.isSessionEnded);
  const hasActive = useChatState((state) => state.activeConversationId !== null);

  useEffect(() => {
    if (!isSessionEnded) return;
    router.replace('/sign-in');
    router.refresh();
  }, [isSessionEnded, router]);

  return (
    <div className={hasActive ? 'shell shell--conversation' : 'shell'}>
      <aside className="sidebar" aria-label="Conversations">
        <header className="sidebar__header">
          <span className="sidebar__me" data-testid="me">
            {me.username}
          </span>
          <ConnectionStatus />
          <SignOutButton />
        </header>
        <NewChatForm />
        <ConversationList />
      </aside>
      <div className="pane">{children}</div>
    </div>
  );
}
