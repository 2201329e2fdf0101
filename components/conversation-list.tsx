'use client';

import Link from 'next/link';
import { useChatState } from '../hooks/use-chat';
import { formatListTime } from './format-time';

export function ConversationList({ activeId }: { activeId: string | null }) {
  const conversations = useChatState((state) => state.conversations);
  const isLoaded = useChatState((state) => state.isListLoaded);
  const meId = useChatState((state) => state.me.id);

  if (isLoaded && conversations.length === 0) {
    return <p className="sidebar__empty">No conversations yet. Start one above.</p>;
  }
  return (
    <ul className="conversation-list" data-testid="conversation-list">
      {conversations.map((conversation) => {
        const preview = conversation.lastMessage;
        const isActive = conversation.id === activeId;
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
              </span>
              <span className="conversation-item__main">
                <span className="conversation-item__title">{conversation.title}</span>
                <span className="conversation-item__preview">
                  {preview
                    ? `${preview.senderId === meId ? 'You: ' : ''}${preview.body}`
                    : 'No messages yet'}
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
