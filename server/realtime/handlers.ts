// Socket event handlers: call the domain function, schedule the broadcast, return the ack data.

import { ClientEvent, ServerEvent } from '../../protocol';
import { getConversation, listConversations } from '../chat/list-conversations';
import { getHistory } from '../chat/get-history';
import { markDelivered, markRead, type MarkerResult } from '../chat/advance-markers';
import { sendMessage } from '../chat/send-message';
import { startDirectConversation } from '../chat/start-direct-conversation';
import { crashIfFailpoint } from '../failpoints';
import type { HandlerContext, HandlerMap } from './handler';
import { userRoom } from './rooms';

export const handlers: HandlerMap = {
  [ClientEvent.ConversationList]: async ({ deps, session }) => ({
    conversations: await listConversations(deps, session.user.id),
  }),

  [ClientEvent.ConversationGet]: async ({ deps, session }, input) => ({
    conversation: await getConversation(deps, session.user.id, input.conversationId),
  }),

  [ClientEvent.ConversationStart]: async ({ deps, session }, input) => ({
    conversation: await startDirectConversation(deps, session.user.id, input.username),
  }),

  [ClientEvent.MessageSend]: async ({ deps, io, session, afterAck }, input) => {
    const result = await sendMessage(deps, session.user.id, input);
    if (result.created) crashIfFailpoint(deps.config, 'crash-after-commit');
    if (result.created) {
      afterAck(() => {
        io.to(result.memberIds.map(userRoom)).emit(ServerEvent.MessageCreated, result.message);
      });
    }
    return { message: result.message, duplicate: !result.created };
  },

  [ClientEvent.MessageHistory]: async ({ deps, session }, input) =>
    getHistory(deps, session.user.id, input),

  [ClientEvent.ConversationMarkRead]: async ({ deps, io, session, afterAck }, input) => {
    const result = await markRead(deps, session.user.id, input);
    afterAck(() => broadcastReceipt(io, result));
    return { readSeq: result.receipt.readSeq };
  },

  [ClientEvent.ConversationMarkDelivered]: async ({ deps, io, session, afterAck }, input) => {
    const result = await markDelivered(deps, session.user.id, input);
    afterAck(() => broadcastReceipt(io, result));
    return { deliveredSeq: result.receipt.deliveredSeq };
  },
};

function broadcastReceipt(io: HandlerContext['io'], result: MarkerResult): void {
  if (result.notifyUserIds.length === 0) return;
  io.to(result.notifyUserIds.map(userRoom)).emit(ServerEvent.ReceiptUpdated, result.receipt);
}
