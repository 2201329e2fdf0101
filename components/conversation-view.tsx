'use client';

import { useEffect, useState } from 'react';
import { describeTyping, isFormerMember } from '../hooks/chat-state';
import { useChatClient, useChatState, useConversation } from '../hooks/use-chat';
import { ChatLink } from './chat-link';
import { Composer, type ComposerAction } from './composer';
import { ConnectionStatus } from './connection-status';
import { GroupInfo } from './group-info';
import { MessageList } from './message-list';
import { PresenceDot, usePresenceText } from './presence';
import avatar from './avatar.module.css';
import controls from './controls.module.css';
import styles from './conversation-view.module.css';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const client = useChatClient();
  const summary = useConversation(conversationId);
  const isListLoaded = useChatState((state) => state.isListLoaded);
  const typing = useChatState((state) => state.typing[conversationId]);
  const presenceText = usePresenceText(summary?.peer?.id);
  const [isInfoOpen, setIsInfoOpen] = useState(false);
  /** Replying to or editing a message: the composer shows which, above its input. */
  const [composerAction, setComposerAction] = useState<ComposerAction | null>(null);

  useEffect(() => {
    client.openConversation(conversationId);
    return () => client.openConversation(null);
  }, [client, conversationId]);

  if (!summary && isListLoaded) {
    return (
      <section className={styles.missing}>
        <p>This conversation does not exist, or you are not in it.</p>
        <ChatLink conversationId={null}>Back to your chats</ChatLink>
      </section>
    );
  }
  const isGroup = summary?.kind === 'group';
  // Removed, or left: the messages up to then stay, read-only.
  const isFormer = summary !== undefined && isFormerMember(summary);
  const subtitle = isFormer
    ? null
    : (describeTyping(typing) ?? (isGroup ? `${summary.memberCount} members` : presenceText));
  return (
    <div className={styles.layout}>
      <section
        className={styles.conversation}
        aria-label={summary ? `Chat with ${summary.title}` : 'Chat'}
      >
        <header className={styles.header}>
          <ChatLink conversationId={null} className={styles.back} aria-label="Back to chats">
            ‹
          </ChatLink>
          <span className={avatar.avatar} aria-hidden="true">
            {summary?.title.slice(0, 1).toUpperCase()}
            {summary?.peer && <PresenceDot userId={summary.peer.id} name={summary.peer.username} />}
          </span>
          <div className={styles.heading}>
            <h2 className={styles.title} data-testid="conversation-title">
              {summary?.title ?? ''}
            </h2>
            <p className={styles.subtitle} data-testid="conversation-subtitle" aria-live="polite">
              {subtitle ?? ''}
            </p>
            {/* Phones show the list's header (and its connection state) only on the list. */}
            <div className={styles.connection}>
              <ConnectionStatus testId="conversation-connection" quietWhenOnline />
            </div>
          </div>
          {summary && !isFormer && (
            <button
              type="button"
              className={controls.quietButton}
              aria-pressed={summary.isMuted}
              onClick={() => void client.setMuted(summary.id, !summary.isMuted)}
            >
              {summary.isMuted ? 'Unmute' : 'Mute'}
            </button>
          )}
          {isGroup && !isFormer && (
            <button
              type="button"
              className={controls.quietButton}
              aria-expanded={isInfoOpen}
              onClick={() => setIsInfoOpen(!isInfoOpen)}
            >
              Group info
            </button>
          )}
        </header>
        <MessageList
          conversationId={conversationId}
          onReply={(seq) => setComposerAction({ kind: 'reply', seq })}
          onEdit={(seq) => setComposerAction({ kind: 'edit', seq })}
        />
        {isFormer ? (
          <p className={styles.ended} role="status" data-testid="membership-ended">
            {summary.membership === 'left' ? 'You left' : 'You were removed'}
          </p>
        ) : (
          <Composer
            key={conversationId}
            conversationId={conversationId}
            action={composerAction}
            onActionDone={() => setComposerAction(null)}
          />
        )}
      </section>
      {isGroup && !isFormer && isInfoOpen && summary && (
        <GroupInfo conversation={summary} onClose={() => setIsInfoOpen(false)} />
      )}
    </div>
  );
}
