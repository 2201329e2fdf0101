import { ClientEvent, ServerEvent } from '../../../protocol';
import { deleteMessage } from '../../chat/delete-message';
import { editMessage } from '../../chat/edit-message';
import { forwardMessages } from '../../chat/forward-messages';
import { listMessageChanges } from '../../chat/list-message-changes';
import type { ChangeDelivery } from '../../chat/message-change';
import { reactToMessage } from '../../chat/react-to-message';
import type { HandlerContext, HandlerMap } from '../handler';
import { safeError } from '../../logger';
import { userRoom } from '../rooms';

/**
 * After the ack: every device of everyone who sees the change, in their view of it, but not
 * the socket that made it (the ack carries it there).
 */
export function pushChanges({ io, socket }: HandlerContext, deliveries: ChangeDelivery[]): void {
  for (const delivery of deliveries) {
    io.to(delivery.userIds.map(userRoom))
      .except(socket.id)
      .emit(ServerEvent.MessageChanged, delivery.payload);
  }
}

export const messageChangeHandlers: Pick<
  HandlerMap,
  | typeof ClientEvent.MessageEdit
  | typeof ClientEvent.MessageDelete
  | typeof ClientEvent.MessageReact
  | typeof ClientEvent.MessageForward
  | typeof ClientEvent.MessageChanges
> = {
  [ClientEvent.MessageEdit]: async (ctx, input) => {
    const result = await editMessage(ctx.deps, ctx.session.user, input);
    ctx.afterAck(() => pushChanges(ctx, result.deliveries));
    return { message: result.message };
  },

  [ClientEvent.MessageDelete]: async (ctx, input) => {
    const result = await deleteMessage(ctx.deps, ctx.session.user, input);
    ctx.afterAck(() => pushChanges(ctx, result.deliveries));
    return { message: input.for === 'me' ? null : result.message };
  },

  [ClientEvent.MessageReact]: async (ctx, input) => {
    const result = await reactToMessage(ctx.deps, ctx.session.user, input);
    ctx.afterAck(() => pushChanges(ctx, result.deliveries));
    return { message: result.message };
  },

  [ClientEvent.MessageForward]: async (
    { deps, io, push, presence, socket, session, afterAck },
    input,
  ) => {
    const forwarded = await forwardMessages(deps, session.user, input);
    const createdCount = forwarded.reduce((sum, target) => sum + target.created.length, 0);
    deps.metrics.messagesSent.inc(createdCount);
    afterAck(() => {
      // As for message:send: every copy to every device of every member of its conversation
      // but the sending socket, again on a retry; push notifications only for new copies.
      for (const target of forwarded) {
        const rooms = target.memberIds.map(userRoom);
        for (const message of target.messages) {
          io.to(rooms).except(socket.id).emit(ServerEvent.MessageCreated, message);
        }
        for (const message of target.created) void push.notify(message, target.memberIds);
        if (target.messages.some((message) => message.seq === 1)) {
          presence
            .introduce(target.memberIds)
            .catch((error: unknown) =>
              deps.logger.error(
                { event: 'presence.failed', err: safeError(error) },
                'presence update failed',
              ),
            );
        }
      }
    });
    return {
      forwarded: forwarded.map((target) => ({
        conversationId: target.conversationId,
        messages: target.messages,
      })),
    };
  },

  [ClientEvent.MessageChanges]: async ({ deps, session }, input) => ({
    changes: await listMessageChanges(deps, session.user.id, input),
  }),
};
