// Database rows to the shapes of protocol/types.ts.

import type { ConversationListRow, MessageRow } from '../../db';
import { truncateCodePoints, type ConversationSummary, type Message } from '../../protocol';
import { PREVIEW_MAX_CODE_POINTS } from '../../protocol';

export function toMessage(row: MessageRow, senderUsername: string): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    senderUsername,
    clientMsgId: row.clientMsgId,
    kind: row.kind,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toConversationSummary(row: ConversationListRow): ConversationSummary {
  return {
    id: row.id,
    kind: row.kind,
    title: row.kind === 'direct' ? (row.peer?.username ?? 'Unknown') : (row.title ?? 'Group'),
    peer: row.peer,
    lastSeq: row.lastSeq,
    readSeq: row.readSeq,
    deliveredSeq: row.deliveredSeq,
    unreadCount: Math.max(0, row.lastSeq - row.readSeq),
    deliveredToAllSeq: row.deliveredToAllSeq,
    readByAllSeq: row.readByAllSeq,
    memberCount: row.memberCount,
    myRole: row.myRole,
    isMuted: row.isMuted,
    lastMessage: row.lastMessage
      ? {
          seq: row.lastMessage.seq,
          senderId: row.lastMessage.senderId,
          kind: row.lastMessage.kind,
          // The database cut it already; this guards the limit if the two ever disagree.
          body: truncateCodePoints(row.lastMessage.body, PREVIEW_MAX_CODE_POINTS),
          createdAt: new Date(row.lastMessage.createdAt).toISOString(),
        }
      : null,
    lastActivityAt: (row.lastMessageAt ?? row.createdAt).toISOString(),
    membership: row.membership,
  };
}
