import { ClientEvent } from '../../../protocol';
import { updatePrivacy } from '../../chat/update-privacy';
import type { HandlerMap } from '../handler';
import { prepareTyping } from '../typing';

export const presenceHandlers: Pick<
  HandlerMap,
  | typeof ClientEvent.PresenceQuery
  | typeof ClientEvent.PrivacyUpdate
  | typeof ClientEvent.TypingStart
  | typeof ClientEvent.TypingStop
> = {
  [ClientEvent.PresenceQuery]: async ({ presence, session }, input) => ({
    presence: await presence.query(session.user.id, input.userIds),
  }),

  [ClientEvent.PrivacyUpdate]: async ({ deps, presence, session, afterAck }, input) => {
    const privacy = await updatePrivacy(deps, session.user.id, input);
    // Who sees whose presence may have changed, both ways: tell everyone concerned now.
    if (input.presence !== undefined) {
      afterAck(() => presence.refreshLater(session.user.id));
    }
    return { privacy };
  },

  [ClientEvent.TypingStart]: async ({ deps, io, socket, afterAck, arrival }, input) => {
    afterAck(await prepareTyping(deps, io, socket, input.conversationId, true, arrival));
    return {};
  },

  [ClientEvent.TypingStop]: async ({ deps, io, socket, afterAck, arrival }, input) => {
    afterAck(await prepareTyping(deps, io, socket, input.conversationId, false, arrival));
    return {};
  },
};
