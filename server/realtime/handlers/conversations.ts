import { ClientEvent } from '../../../protocol';
import { markDelivered, markRead } from '../../chat/advance-markers';
import { getConversation } from '../../chat/get-conversation';
import { listConversations } from '../../chat/list-conversations';
import { muteConversation } from '../../chat/mute-conversation';
import { startDirectConversation } from '../../chat/start-direct-conversation';
import type { HandlerMap } from '../handler';

export const conversationHandlers: Pick<
  HandlerMap,
  | typeof ClientEvent.ConversationList
  | typeof ClientEvent.ConversationGet
  | typeof ClientEvent.ConversationStart
  | typeof ClientEvent.ConversationMarkRead
  | typeof ClientEvent.ConversationMarkDelivered
  | typeof ClientEvent.ConversationMute
> = {
  [ClientEvent.ConversationList]: async ({ deps, session }) => ({
    conversations: await listConversations(deps, session.user.id),
  }),

  [ClientEvent.ConversationGet]: async ({ deps, session }, input) => ({
    conversation: await getConversation(deps, session.user.id, input.conversationId),
  }),

  [ClientEvent.ConversationStart]: async ({ deps, session }, input) => ({
    conversation: await startDirectConversation(deps, session.user.id, input.username),
  }),

  [ClientEvent.ConversationMarkRead]: async ({ deps, receipts, session, afterAck }, input) => {
    const result = await markRead(deps, session.user.id, input);
    deps.metrics.messagesDelivered.inc(result.newlyDelivered);
    afterAck(() => receipts.send(result));
    return { readSeq: result.receipt.readSeq };
  },

  [ClientEvent.ConversationMarkDelivered]: async ({ deps, receipts, session, afterAck }, input) => {
    const result = await markDelivered(deps, session.user.id, input);
    deps.metrics.messagesDelivered.inc(result.newlyDelivered);
    afterAck(() => receipts.send(result));
    return { deliveredSeq: result.receipt.deliveredSeq };
  },

  [ClientEvent.ConversationMute]: async ({ deps, session }, input) => ({
    isMuted: await muteConversation(deps, session.user.id, input),
  }),
};
