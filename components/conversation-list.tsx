'use client';

import Link from 'next/link';
import { describeTyping } from '../hooks/chat-state';
import { useChatState } from '../hooks/use-chat';
import { formatListTime } from './format-time';
import { PresenceDot } from './presence';
import avatar from './avatar.module.css';
import styles from './conversation-list.module.css';

export function ConversationList({ activeId }: { activeId: string | null }) {
  const conversations = useChatState((state) => state.conversations);
  const isLoaded = useChatState((state) => state.isListLoaded);
  const meId = useChatState((state) => state.me.id);
  const typing = useChatState((state) => state.typing);

  if (isLoaded && conversations.length === 0) {
    return <p className={styles.empty}>No conversations yet. Start one above.</p>;
  }
  return (
    <ul className={styles.list} data-testid="conversation-list">
      {conversations.map((conversation) => {
        const preview = conversation.lastMessage;
        const isActive = conversation.id === activeId;
        const typingText = describeTyping(typing[conversation.id]);
        const previewText = typingText
          ? typingText
          : preview
            ? `${preview.kind === 'text' && preview.senderId === meId ? 'You: ' : ''}${preview.body}`
            : 'No messages yet';
        return (
          <li key={conversation.id}>
            <Link
              href={`/chats?c=${conversation.id}`}
              className={isActive ? styles.activeItem : styles.item}
              aria-current={isActive ? 'page' : undefined}
              data-testid="conversation-item"
            >
              <span className={avatar.avatar} aria-hidden="true">
                {conversation.title.slice(0, 1).toUpperCase()}
                {conversation.peer && (
                  <PresenceDot userId={conversation.peer.id} name={conversation.peer.username} />
                )}
              </span>
              <span className={styles.main}>
                <span className={styles.title} data-testid="conversation-item-title">
                  {conversation.title}
                </span>
                <span
                  className={typingText ? styles.typingPreview : styles.preview}
                  data-testid="conversation-item-preview"
                >
                  {previewText}
                </span>
              </span>
              <span className={styles.side}>
                <time dateTime={conversation.lastActivityAt}>
                  {formatListTime(conversation.lastActivityAt)}
                </time>
                {conversation.unreadCount > 0 && (
                  <span
                    className={styles.badge}
                    data-testid="unread-count"
                    aria-label={`${conversation.unreadCount} unread`}
                  >
                    {conversation.unreadCount}
                  </span>
                )}
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
