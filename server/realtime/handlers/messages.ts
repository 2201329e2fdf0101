import { ClientEvent, ServerEvent } from '../../../protocol';
import { getHistory } from '../../chat/get-history';
import { getMessageReceipts } from '../../chat/get-message-receipts';
import { sendMessage } from '../../chat/send-message';
import type { HandlerMap } from '../handler';
import { safeError } from '../../logger';
import { userRoom } from '../rooms';
import { stopTypingOnSend } from '../typing';

export const messageHandlers: Pick<
  HandlerMap,
  | typeof ClientEvent.MessageSend
  | typeof ClientEvent.MessageHistory
  | typeof ClientEvent.MessageReceipts
> = {
  [ClientEvent.MessageSend]: async (
    { deps, io, push, presence, socket, session, afterAck, arrival },
    input,
  ) => {
    const result = await sendMessage(deps, session.user, input);
    if (result.created) {
      deps.failpoints.afterMessageCommit?.();
      deps.metrics.messagesSent.inc();
    }
    afterAck(() => {
      // Every device of every member, the sender's other tabs included, but not the socket
      // that sent it: the ack already carries the message there. A retry's duplicate goes out
      // again while unchanged, as the first send's broadcast may have died with its node
      // (sendMessage says when not); push notifications only for the first, so that nobody's
      // phone rings twice.
      if (result.broadcast) {
        io.to(result.memberIds.map(userRoom))
          .except(socket.id)
          .emit(ServerEvent.MessageCreated, result.broadcast);
      }
      // The message ends the sender's "typing…" there, in the order of the socket's updates.
      stopTypingOnSend(io, socket, input.conversationId, result.memberIds, arrival);
      if (result.created) void push.notify(result.message, result.memberIds);
      // The first message of a direct conversation makes its two people contacts (again on a
      // retry: the first introduction may have died with its node too).
      if (result.message.seq === 1) {
        presence
          .introduce(result.memberIds)
          .catch((error: unknown) =>
            deps.logger.error(
              { event: 'presence.failed', err: safeError(error) },
              'presence update failed',
            ),
          );
      }
    });
    return { message: result.message, duplicate: !result.created };
  },

  [ClientEvent.MessageHistory]: async ({ deps, session }, input) =>
    getHistory(deps, session.user.id, input),

  [ClientEvent.MessageReceipts]: async ({ deps, session }, input) => ({
    receipts: await getMessageReceipts(deps, session.user.id, input),
  }),
};
