import { ClientEvent, ServerEvent } from '../../../protocol';
import { blockUser, listBlockedPeople, unblockUser } from '../../chat/blocking';
import { listPeople } from '../../chat/list-people';
import { searchPeople } from '../../chat/search-people';
import { listProfileAudience, updateProfile } from '../../chat/update-profile';
import { safeError } from '../../logger';
import type { HandlerMap } from '../handler';
import { hiddenPresence } from '../presence';
import { userRoom } from '../rooms';

export const peopleHandlers: Pick<
  HandlerMap,
  | typeof ClientEvent.ProfileUpdate
  | typeof ClientEvent.PeopleSearch
  | typeof ClientEvent.PeopleGet
  | typeof ClientEvent.BlockAdd
  | typeof ClientEvent.BlockRemove
  | typeof ClientEvent.BlockList
> = {
  [ClientEvent.ProfileUpdate]: async ({ deps, io, socket, session, afterAck }, input) => {
    const profile = await updateProfile(deps, session.user.id, input);
    // This socket's own sends carry the new name from now on.
    socket.data.profile = profile;
    const { displayName: _previous, ...user } = socket.data.user;
    socket.data.user = {
      ...user,
      ...(profile.displayName ? { displayName: profile.displayName } : {}),
    };
    afterAck(() => {
      // Everyone who may see this person's name on screen, and their own other devices.
      listProfileAudience(deps, session.user.id)
        .then((contactIds) =>
          io
            .to([...contactIds, session.user.id].map(userRoom))
            .except(socket.id)
            .emit(ServerEvent.UserUpdated, profile),
        )
        .catch((error: unknown) =>
          deps.logger.error(
            { event: 'profile.broadcast-failed', err: safeError(error) },
            'profile broadcast failed',
          ),
        );
    });
    return { profile };
  },

  [ClientEvent.PeopleSearch]: async ({ deps, session }, input) => ({
    people: await searchPeople(deps, session.user.id, input.query),
  }),

  [ClientEvent.PeopleGet]: async ({ deps, session }, input) => ({
    people: await listPeople(deps, session.user.id, input.userIds),
  }),

  [ClientEvent.BlockAdd]: async ({ deps, io, session, afterAck }, input) => {
    const blocked = await blockUser(deps, session.user.id, input.userId);
    afterAck(() => {
      // From now on neither sees the other's presence: what each shows of the other goes
      // blank at once, on every device.
      io.to(userRoom(input.userId)).emit(
        ServerEvent.PresenceUpdated,
        hiddenPresence(session.user.id),
      );
      io.to(userRoom(session.user.id)).emit(
        ServerEvent.PresenceUpdated,
        hiddenPresence(input.userId),
      );
    });
    return { blocked };
  },

  [ClientEvent.BlockRemove]: async ({ deps, presence, session, afterAck }, input) => {
    const blocked = await unblockUser(deps, session.user.id, input.userId);
    // Contacts again: each is told the other's presence as they may see it.
    afterAck(() => presence.refreshLater(session.user.id));
    return { blocked };
  },

  [ClientEvent.BlockList]: async ({ deps, session }) => ({
    blocked: await listBlockedPeople(deps, session.user.id),
  }),
};
