// Database rows to the shapes of protocol/types.ts.

import type {
  ConversationListRow,
  MemberFlagsRow,
  MessageRow,
  MessageView,
  QuoteView,
} from '../../db';
import {
  isArchivedNow,
  truncateCodePoints,
  type ConversationFlags,
  type ConversationSummary,
  type Message,
  type QuotedMessage,
} from '../../protocol';
import { PREVIEW_MAX_CODE_POINTS } from '../../protocol';

/**
 * A stored message as the wire carries it. Fields of changes (changeSeq, editedAt, deleted,
 * isForwarded, replyTo) appear only when there is something to say, so a plain new message
 * looks exactly as it did before messages could change.
 */
export function toMessage(
  row: MessageRow,
  sender: { username: string; displayName?: string | undefined },
  quote?: QuoteView,
): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    senderUsername: sender.username,
    ...(sender.displayName ? { senderDisplayName: sender.displayName } : {}),
    clientMsgId: row.clientMsgId,
    kind: row.kind,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    ...(row.changeSeq > 0 ? { changeSeq: row.changeSeq } : {}),
    ...(quote ? { replyTo: toQuotedMessage(quote) } : {}),
    ...(row.isForwarded ? { isForwarded: true as const } : {}),
    ...(row.editedAt ? { editedAt: row.editedAt.toISOString() } : {}),
  };
}

/**
 * A message as its reader sees it now. One they hid ("delete for me") keeps its place (ids,
 * seq, sender, time) but nothing of what it said; its changeSeq is the later of the message's
 * and their hide's.
 */
export function toMessageView(view: MessageView): Message {
  return toMessageViewWithHide(view, view.hiddenChangeSeq);
}

/** toMessageView for a viewer whose hide of the message is `hiddenChangeSeq` (null: none). */
export function toMessageViewWithHide(view: MessageView, hiddenChangeSeq: number | null): Message {
  const base = toMessage(
    view,
    { username: view.senderUsername, displayName: view.senderDisplayName },
    view.replyTo ?? undefined,
  );
  if (hiddenChangeSeq !== null) {
    return {
      id: base.id,
      conversationId: base.conversationId,
      seq: base.seq,
      senderId: base.senderId,
      senderUsername: base.senderUsername,
      ...(base.senderDisplayName ? { senderDisplayName: base.senderDisplayName } : {}),
      clientMsgId: base.clientMsgId,
      kind: base.kind,
      body: '',
      createdAt: base.createdAt,
      changeSeq: Math.max(view.changeSeq, hiddenChangeSeq),
      isHidden: true,
    };
  }
  // Added to `base`, not spread from it: an object made by a spread is slow to extend in
  // Node 20's V8 (see toMessageView in db/queries/message-view.ts).
  if (view.deletedAt && view.deletedBy) {
    base.deleted = {
      at: view.deletedAt.toISOString(),
      by: { id: view.deletedBy, username: view.deletedByUsername ?? 'unknown' },
    };
  }
  if (view.reactions.length > 0) {
    base.reactions = view.reactions.map((reaction) => ({
      user: { id: reaction.userId, username: reaction.username },
      emoji: reaction.emoji,
    }));
  }
  return base;
}

function toQuotedMessage(quote: QuoteView): QuotedMessage {
  return {
    seq: quote.seq,
    senderId: quote.senderId,
    senderUsername: quote.senderUsername,
    // The database cut it already; this guards the limit if the two ever disagree.
    body: truncateCodePoints(quote.body, PREVIEW_MAX_CODE_POINTS),
    ...(quote.isDeleted ? { isDeleted: true as const } : {}),
  };
}

export function toConversationSummary(row: ConversationListRow): ConversationSummary {
  return {
    id: row.id,
    kind: row.kind,
    title:
      row.kind === 'direct'
        ? row.peer?.displayName || (row.peer?.username ?? 'Unknown')
        : (row.title ?? 'Group'),
    peer: row.peer && toUserSummary(row.peer),
    ...(row.kind === 'group' && row.description ? { description: row.description } : {}),
    ...(row.kind === 'group' && row.isInfoAdminsOnly ? { isInfoAdminsOnly: true as const } : {}),
    ...(row.kind === 'group' && row.isSendAdminsOnly ? { isSendAdminsOnly: true as const } : {}),
    lastSeq: row.lastSeq,
    lastChangeSeq: row.lastChangeSeq,
    readSeq: row.readSeq,
    deliveredSeq: row.deliveredSeq,
    // Deleted and hidden messages were unread but are nothing to read any more.
    unreadCount: Math.max(0, row.lastSeq - row.readSeq - row.unreadGone),
    deliveredToAllSeq: row.deliveredToAllSeq,
    readByAllSeq: row.readByAllSeq,
    memberCount: row.memberCount,
    myRole: row.myRole,
    isMuted: row.isMuted,
    ...toFlags(row, row.lastMessageAt ?? row.createdAt),
    lastMessage: row.lastMessage
      ? {
          seq: row.lastMessage.seq,
          senderId: row.lastMessage.senderId,
          kind: row.lastMessage.kind,
          // The database cut it already; this guards the limit if the two ever disagree.
          body: truncateCodePoints(row.lastMessage.body, PREVIEW_MAX_CODE_POINTS),
          createdAt: new Date(row.lastMessage.createdAt).toISOString(),
          ...(row.lastMessage.isDeleted ? { isDeleted: true as const } : {}),
          ...(row.lastMessage.isEdited ? { isEdited: true as const } : {}),
        }
      : null,
    lastActivityAt: (row.lastMessageAt ?? row.createdAt).toISOString(),
    membership: row.membership,
  };
}

/** The viewer's own settings of a conversation, as its summary and conversation:updated carry them. */
export function toConversationFlags(row: MemberFlagsRow): ConversationFlags {
  return {
    conversationId: row.conversationId,
    isMuted: row.isMuted,
    ...toFlags(row, row.lastMessageAt ?? row.createdAt),
  };
}

/**
 * Pinned and archived as the wire says them: archivedAt only while the conversation shows as
 * archived, so that every device starts from the same answer isArchivedNow gives.
 */
function toFlags(
  row: { isMuted: boolean; pinnedAt: Date | null; archivedAt: Date | null },
  lastActivity: Date,
): Pick<ConversationSummary, 'pinnedAt' | 'archivedAt'> {
  const archivedAt = row.archivedAt?.toISOString() ?? null;
  const isArchived = isArchivedNow({
    archivedAt,
    isMuted: row.isMuted,
    lastActivityAt: lastActivity.toISOString(),
  });
  return {
    pinnedAt: row.pinnedAt?.toISOString() ?? null,
    archivedAt: isArchived ? archivedAt : null,
  };
}

/** A person as lists and payloads name them: the display name only when they set one. */
export function toUserSummary(user: { id: string; username: string; displayName: string }) {
  return {
    id: user.id,
    username: user.username,
    ...(user.displayName ? { displayName: user.displayName } : {}),
  };
}
