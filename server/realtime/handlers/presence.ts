import { ClientEvent } from '../../../protocol';
import { updatePrivacy } from '../../chat/update-privacy';
import { safeError } from '../../logger';
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
      afterAck(() =>
        presence
          .refresh(session.user.id)
          .catch((error: unknown) =>
            deps.logger.error(
              { event: 'presence.failed', err: safeError(error) },
              'presence update failed',
            ),
          ),
      );
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
