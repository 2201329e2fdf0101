'use client';

import Link from 'next/link';
import { describeTyping } from '../hooks/chat-state';
import { useChatState } from '../hooks/use-chat';
import { formatListTime } from './format-time';
import { PresenceDot } from './presence';

export function ConversationList({ activeId }: { activeId: string | null }) {
  const conversations = useChatState((state) => state.conversations);
  const isLoaded = useChatState((state) => state.isListLoaded);
  const meId = useChatState((state) => state.me.id);
  const typing = useChatState((state) => state.typing);

  if (isLoaded && conversations.length === 0) {
    return <p className="sidebar__empty">No conversations yet. Start one above.</p>;
  }
  return (
    <ul className="conversation-list" data-testid="conversation-list">
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
              className={
                isActive ? 'conversation-item conversation-item--active' : 'conversation-item'
              }
              aria-current={isActive ? 'page' : undefined}
              data-testid="conversation-item"
            >
              <span className="avatar" aria-hidden="true">
                {conversation.title.slice(0, 1).toUpperCase()}
                {conversation.peer && (
                  <PresenceDot userId={conversation.peer.id} name={conversation.peer.username} />
                )}
              </span>
              <span className="conversation-item__main">
                <span className="conversation-item__title" data-testid="conversation-item-title">
                  {conversation.title}
                </span>
                <span
                  className={
                    typingText
                      ? 'conversation-item__preview conversation-item__preview--typing'
                      : 'conversation-item__preview'
                  }
                  data-testid="conversation-item-preview"
                >
                  {previewText}
                </span>
              </span>
              <span className="conversation-item__side">
                <time dateTime={conversation.lastActivityAt}>
                  {formatListTime(conversation.lastActivityAt)}
                </time>
                {conversation.unreadCount > 0 && (
                  <span
                    className="badge"
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
