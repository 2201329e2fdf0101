import { ClientEvent } from '../../../protocol';
import type { HandlerMap } from '../handler';
import { prepareTyping } from '../typing';

export const presenceHandlers: Pick<
  HandlerMap,
  typeof ClientEvent.PresenceQuery | typeof ClientEvent.TypingStart | typeof ClientEvent.TypingStop
> = {
  [ClientEvent.PresenceQuery]: async ({ presence, session }, input) => ({
    presence: await presence.query(session.user.id, input.userIds),
  }),

  [ClientEvent.TypingStart]: async ({ deps, io, socket, afterAck, arrival }, input) => {
    afterAck(await prepareTyping(deps, io, socket, input.conversationId, true, arrival));
    return {};
  },

  [ClientEvent.TypingStop]: async ({ deps, io, socket, afterAck, arrival }, input) => {
    afterAck(await prepareTyping(deps, io, socket, input.conversationId, false, arrival));
    return {};
  },
};
