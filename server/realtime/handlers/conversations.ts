import { ClientEvent, ServerEvent, type ConversationFlags } from '../../../protocol';
import { markDelivered, markRead } from '../../chat/advance-markers';
import { archiveConversation } from '../../chat/archive-conversation';
import { readCatchUpPages } from '../../chat/catch-up';
import { clearConversation } from '../../chat/clear-conversation';
import { getConversation } from '../../chat/get-conversation';
import { listConversations } from '../../chat/list-conversations';
import { muteConversation } from '../../chat/mute-conversation';
import { pinConversation } from '../../chat/pin-conversation';
import { startDirectConversation } from '../../chat/start-direct-conversation';
import { EVENT_WORK } from '../event-gate';
import type { HandlerContext, HandlerMap } from '../handler';
import { userRoom } from '../rooms';
import { pushChanges } from './message-changes';

/**
 * The user's own settings of a conversation changed: their other devices (every node) apply
 * them to its summary at once; this one has them in the ack.
 */
function tellOtherDevices(ctx: HandlerContext, flags: ConversationFlags): ConversationFlags {
  ctx.afterAck(() =>
    ctx.io
      .to(userRoom(ctx.session.user.id))
      .except(ctx.socket.id)
      .emit(ServerEvent.ConversationUpdated, flags),
  );
  return flags;
}

export const conversationHandlers: Pick<
  HandlerMap,
  | typeof ClientEvent.ConversationList
  | typeof ClientEvent.ConversationGet
  | typeof ClientEvent.ConversationStart
  | typeof ClientEvent.ConversationMarkRead
  | typeof ClientEvent.ConversationMarkDelivered
  | typeof ClientEvent.ConversationMute
  | typeof ClientEvent.ConversationPin
  | typeof ClientEvent.ConversationArchive
  | typeof ClientEvent.ConversationClear
> = {
  // With the device's cursors, the first page past each for those with news, each paid for as
  // a message:history would be.
  [ClientEvent.ConversationList]: async ({ deps, session }, input) => {
    const userId = session.user.id;
    const conversations = await listConversations(deps, userId);
    if (!input.cursors) return { conversations };
    const afford = () =>
      deps.rateLimits.trySpendWork(userId, EVENT_WORK[ClientEvent.MessageHistory]);
    return {
      conversations,
      pages: await readCatchUpPages(deps, userId, conversations, input.cursors, afford),
    };
  },

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

  [ClientEvent.ConversationMute]: async (ctx, input) =>
    tellOtherDevices(ctx, await muteConversation(ctx.deps, ctx.session.user.id, input)),

  [ClientEvent.ConversationPin]: async (ctx, input) =>
    tellOtherDevices(ctx, await pinConversation(ctx.deps, ctx.session.user.id, input)),

  [ClientEvent.ConversationArchive]: async (ctx, input) =>
    tellOtherDevices(ctx, await archiveConversation(ctx.deps, ctx.session.user.id, input)),

  // The hides go to the user's other devices as a change to messages; this one, which has the
  // answer, hides what it holds and fetches the changes.
  [ClientEvent.ConversationClear]: async (ctx, input) => {
    const { cleared, deliveries } = await clearConversation(ctx.deps, ctx.session.user.id, input);
    ctx.afterAck(() => pushChanges(ctx, deliveries));
    return cleared;
  },
};
