'use client';
// One stored message of the list: its bubble (text or tombstone, quote, labels, reactions),
// what its action menu offers the viewer, and what each choice does.

import { useState } from 'react';
import type { ConversationSummary, Message, Profile } from '../protocol';
import { displayNameOf, statusOf, type Thread } from '../hooks/chat-state';
import { abilitiesOf, canReactTo, myReaction } from '../hooks/message-abilities';
import { heldOriginal } from '../hooks/message-changes';
import { useChatClient, useChatState, usePersonName } from '../hooks/use-chat';
import { colourOf } from './avatar';
import { MessageBubble, type BubbleActions, type QuoteView } from './message-bubble';
import type { MenuItem } from './message-menu';
import { MessageReactions } from './message-reactions';
import controls from './controls.module.css';
import styles from './message-item.module.css';

export const DELETED_TEXT = 'This message was deleted';

/** What the list does for the menu's choices that reach beyond the bubble. */
export interface MessageItemHandlers {
  onReply: (seq: number) => void;
  onEdit: (seq: number) => void;
  onDelete: (message: Message, canDeleteForEveryone: boolean) => void;
  onForward: (message: Message) => void;
  /** Starts choosing several messages (to forward them together), this one chosen. */
  onSelect: (message: Message) => void;
  onInfo: (seq: number) => void;
  /** Scrolls to a message, loading it first when it is not held. */
  onJump: (seq: number) => void;
  /** Asks whether to report the message (to the server's admins). */
  onReport: (message: Message, senderName: string) => void;
}

export function MessageItem({
  message,
  thread,
  summary,
  isHighlighted,
  isFollowUp = false,
  handlers,
}: {
  message: Message;
  thread: Thread | undefined;
  summary: ConversationSummary | undefined;
  isHighlighted: boolean;
  /** Follows a message of the same sender, the same day: grouped with it. */
  isFollowUp?: boolean;
  handlers: MessageItemHandlers;
}) {
  const client = useChatClient();
  const meId = useChatState((state) => state.me.id);
  const limits = useChatState((state) => state.limits);
  const people = useChatState((state) => state.people);
  const senderName = usePersonName({
    id: message.senderId,
    username: message.senderUsername,
    displayName: message.senderDisplayName,
  });
  const isMine = message.senderId === meId;
  const isGroup = summary?.kind === 'group';
  const { conversationId, seq } = message;
  const [reactionError, setReactionError] = useState<string | null>(null);

  /** A reaction the server refuses (the message was deleted meanwhile, a limit) says why. */
  async function react(emoji: string | null): Promise<void> {
    setReactionError(null);
    const result = await client.react(conversationId, seq, emoji);
    if (!result.ok) setReactionError(result.message);
  }

  /** Built when the menu opens: the edit and delete windows depend on the time. */
  function actions(): BubbleActions {
    const can = abilitiesOf(message, { meId, summary, limits, now: Date.now() });
    const items: MenuItem[] = [];
    if (can.canReply) items.push({ label: 'Reply', onSelect: () => handlers.onReply(seq) });
    if (can.canCopy)
      items.push({
        label: 'Copy',
        onSelect: () => void navigator.clipboard?.writeText(message.body).catch(() => undefined),
      });
    if (can.canForward)
      items.push({ label: 'Forward', onSelect: () => handlers.onForward(message) });
    if (can.canForward) items.push({ label: 'Select', onSelect: () => handlers.onSelect(message) });
    if (can.canEdit) items.push({ label: 'Edit', onSelect: () => handlers.onEdit(seq) });
    if (can.canReport)
      items.push({ label: 'Report', onSelect: () => handlers.onReport(message, senderName) });
    if (can.canDeleteForMe || can.canDeleteForEveryone)
      items.push({
        label: 'Delete',
        isDanger: true,
        onSelect: () => handlers.onDelete(message, can.canDeleteForEveryone),
      });
    if (isMine && !message.deleted)
      items.push({ label: 'Message info', onSelect: () => handlers.onInfo(seq) });
    return {
      reactions: can.canReact
        ? {
            current: myReaction(message, meId),
            onReact: (emoji) => void react(emoji),
          }
        : null,
      items,
    };
  }

  const deletion = message.deleted;
  const deletedText = deletion
    ? deletion.by.id === message.senderId
      ? DELETED_TEXT
      : `${DELETED_TEXT} by ${deletion.by.id === meId ? 'you' : displayNameOf(people, deletion.by)}`
    : undefined;
  const canReact = canReactTo(message, summary);
  return (
    <>
      <MessageBubble
        body={message.body}
        createdAt={message.createdAt}
        isMine={isMine}
        seq={seq}
        status={isMine ? statusOf(message, summary) : undefined}
        senderName={isGroup && !isMine && !isFollowUp ? senderName : undefined}
        senderColour={colourOf(message.senderId)}
        isFollowUp={isFollowUp}
        quote={quoteOf(
          message.replyTo?.seq,
          message,
          message.replyTo && heldOriginal(thread, message.replyTo.seq),
          meId,
          handlers.onJump,
          people,
        )}
        isEdited={message.editedAt !== undefined}
        deletedText={deletedText}
        isForwarded={message.isForwarded === true}
        isHighlighted={isHighlighted}
        reactions={
          <MessageReactions
            reactions={message.reactions}
            meId={meId}
            onRemoveMine={canReact ? () => void react(null) : undefined}
          />
        }
        actions={actions}
      />
      {reactionError && (
        <p
          className={`${styles.actionError} ${isMine ? styles.mine : ''}`}
          role="alert"
          data-testid="reaction-error"
        >
          <span>{reactionError}</span>
          <button
            type="button"
            className={controls.quietButton}
            onClick={() => setReactionError(null)}
          >
            Dismiss
          </button>
        </p>
      )}
    </>
  );
}

/**
 * What a reply shows of the message it quotes: the original as this device holds it now (so
 * its edits and deletion show; see heldOriginal), else what the reply came with. `reply` is
 * absent for a reply still in the outbox, which has only the seq.
 */
export function quoteOf(
  seq: number | undefined,
  reply: Message | undefined,
  original: Message | undefined,
  meId: string,
  onJump?: (seq: number) => void,
  people: Record<string, Profile> = {},
): QuoteView | undefined {
  if (seq === undefined) return undefined;
  const quoted = reply?.replyTo;
  const sender = original
    ? { id: original.senderId, username: original.senderUsername }
    : quoted && { id: quoted.senderId, username: quoted.senderUsername };
  if (!sender) return undefined;
  const isDeleted = original ? original.deleted !== undefined : quoted?.isDeleted === true;
  return {
    senderName: sender.id === meId ? 'You' : displayNameOf(people, sender),
    text: isDeleted ? DELETED_TEXT : (original?.body ?? quoted?.body ?? ''),
    isDeleted,
    onOpen: onJump && (() => onJump(seq)),
  };
}
