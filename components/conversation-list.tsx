'use client';
// The chats, pinned ones first, then newest first: title, last message (or a draft, or who is
// typing), time, unread count, mute and pin; filtered by the list's search and by its chips
// (all, unread, groups). Archived chats have a view of their own, opened from a row on top.

import { Archive, Pin } from 'lucide-react';
import { useMemo, type Ref } from 'react';
import { hasVisibleText } from '../protocol';
import { arrangeMainList, isPinned, listArchived } from '../hooks/chat-list';
import { describeTyping } from '../hooks/chat-state';
import { useChatState } from '../hooks/use-chat';
import { Avatar } from './avatar';
import { ChatLink } from './chat-link';
import { formatListTime } from './format-time';
import { PresenceDot } from './presence';
import styles from './conversation-list.module.css';

/** Lower case, without accents: "José" is found by "jose". */
function foldForFilter(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** The list's chips: every chat, those with unread messages, or the groups; or the archive. */
export type ListView = 'all' | 'unread' | 'groups' | 'archived';

const EMPTY_VIEW: Record<Exclude<ListView, 'all'>, string> = {
  unread: 'No unread chats.',
  groups: 'No groups yet.',
  archived: 'No archived chats.',
};

export function ConversationList({
  activeId,
  filter,
  view = 'all',
  onOpenArchived,
  archivedRowRef,
}: {
  activeId: string | null;
  /** Only the conversations whose name contains this (while the list's search is used). */
  filter?: string;
  view?: ListView;
  /** Shows the "Archived" row on top (when there are archived chats), which calls this. */
  onOpenArchived?: () => void;
  /** The "Archived" row, to give the focus back to when the archived chats close. */
  archivedRowRef?: Ref<HTMLButtonElement>;
}) {
  const everything = useChatState((state) => state.conversations);
  // The search looks through every chat, archived ones too, as WhatsApp's does.
  const all = useMemo(
    () =>
      view === 'archived'
        ? listArchived(everything)
        : filter === undefined
          ? arrangeMainList(everything)
          : everything,
    [everything, filter, view],
  );
  const archivedCount = useMemo(
    () => (onOpenArchived ? listArchived(everything).length : 0),
    [everything, onOpenArchived],
  );
  const needle = filter === undefined ? '' : foldForFilter(filter.trim());
  const conversations = all.filter(
    (conversation) =>
      (!needle || foldForFilter(conversation.title).includes(needle)) &&
      (view === 'all' ||
        view === 'archived' ||
        (view === 'groups' && conversation.kind === 'group') ||
        // The open chat stays while it is read, as in WhatsApp, until another view is chosen.
        (view === 'unread' && (conversation.unreadCount > 0 || conversation.id === activeId))),
  );
  const isLoaded = useChatState((state) => state.isListLoaded);
  const meId = useChatState((state) => state.me.id);
  const typing = useChatState((state) => state.typing);
  const drafts = useChatState((state) => state.drafts);

  const archivedRow = onOpenArchived && archivedCount > 0 && (
    <button
      ref={archivedRowRef}
      type="button"
      className={styles.archivedRow}
      onClick={onOpenArchived}
      aria-label={`Archived (${archivedCount})`}
      data-testid="archived-row"
    >
      <Archive aria-hidden="true" size={20} />
      <span className={styles.main}>Archived</span>
      <span className={styles.archivedCount}>{archivedCount}</span>
    </button>
  );
  const empty =
    needle && conversations.length === 0
      ? 'No chats found.'
      : view !== 'all' && conversations.length === 0
        ? EMPTY_VIEW[view]
        : isLoaded && conversations.length === 0 && !archivedRow
          ? 'No conversations yet. Start one above.'
          : null;
  if (empty !== null || (archivedRow && conversations.length === 0)) {
    return (
      <>
        {archivedRow}
        {empty !== null && <p className={styles.empty}>{empty}</p>}
      </>
    );
  }
  return (
    <ul className={styles.list} data-testid="conversation-list">
      {archivedRow && <li>{archivedRow}</li>}
      {conversations.map((conversation) => {
        const preview = conversation.lastMessage;
        const isActive = conversation.id === activeId;
        const typingText = describeTyping(typing[conversation.id]);
        // The open conversation's draft is in its composer; the others show theirs here.
        const draft = isActive ? undefined : drafts[conversation.id];
        const previewText = typingText ? (
          typingText
        ) : draft && hasVisibleText(draft) ? (
          <>
            <span className={styles.draftLabel}>Draft:</span> {draft}
          </>
        ) : preview?.isDeleted ? (
          <span className={styles.deletedPreview}>This message was deleted</span>
        ) : preview ? (
          `${preview.kind === 'text' && preview.senderId === meId ? 'You: ' : ''}${preview.body}`
        ) : (
          'No messages yet'
        );
        return (
          <li key={conversation.id}>
            <ChatLink
              conversationId={conversation.id}
              className={isActive ? styles.activeItem : styles.item}
              aria-current={isActive ? 'page' : undefined}
              data-testid="conversation-item"
            >
              <Avatar id={conversation.peer?.id ?? conversation.id} name={conversation.title}>
                {conversation.peer && (
                  <PresenceDot userId={conversation.peer.id} name={conversation.title} />
                )}
              </Avatar>
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
                <span className={styles.indicators}>
                  {view !== 'archived' && isPinned(conversation) && (
                    <Pin
                      className={styles.pinned}
                      role="img"
                      aria-label="Pinned"
                      data-testid="pinned-icon"
                      size={16}
                    />
                  )}
                  {conversation.isMuted && <MutedIcon />}
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
              </span>
            </ChatLink>
          </li>
        );
      })}
    </ul>
  );
}

/** A bell struck through: the conversation is muted (no notifications). */
function MutedIcon() {
  return (
    <svg
      className={styles.muted}
      role="img"
      aria-label="Muted"
      data-testid="muted-icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M6 17v-6a6 6 0 0 1 9.5-4.9M18 11v6l1.5 1.5H8" />
      <path d="M10 21h4" />
      <path d="M3 3l18 18" />
    </svg>
  );
}
