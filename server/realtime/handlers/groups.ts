import { ClientEvent, ServerEvent } from '../../../protocol';
import { addMembers } from '../../chat/add-members';
import { changeMemberRole } from '../../chat/change-member-role';
import { updateGroupInfo } from '../../chat/update-group-info';
import { createGroup } from '../../chat/create-group';
import { createInviteLink, getInviteLink, revokeInviteLink } from '../../chat/invite-links';
import { joinGroupByInvite, previewInvite } from '../../chat/join-group-by-invite';
import type { GroupChangeResult } from '../../chat/group-change';
import { leaveGroup } from '../../chat/leave-group';
import { listGroupMembers } from '../../chat/list-group-members';
import { removeMember } from '../../chat/remove-member';
import type { HandlerContext, HandlerMap } from '../handler';
import { userRoom } from '../rooms';

export const groupHandlers: Pick<
  HandlerMap,
  | typeof ClientEvent.GroupCreate
  | typeof ClientEvent.GroupAddMembers
  | typeof ClientEvent.GroupRemoveMember
  | typeof ClientEvent.GroupLeave
  | typeof ClientEvent.GroupSetRole
  | typeof ClientEvent.GroupUpdate
  | typeof ClientEvent.GroupMembers
  | typeof ClientEvent.GroupInviteLink
  | typeof ClientEvent.GroupInviteCreate
  | typeof ClientEvent.GroupInviteRevoke
  | typeof ClientEvent.GroupInvitePreview
  | typeof ClientEvent.GroupJoin
> = {
  [ClientEvent.GroupCreate]: async ({ deps, io, session, afterAck }, input) => {
    const result = await createGroup(deps, session.user, input);
    afterAck(() => broadcastGroupChange(io, result));
    return { conversation: requireConversation(result) };
  },

  [ClientEvent.GroupAddMembers]: async ({ deps, io, session, afterAck }, input) => {
    const result = await addMembers(deps, session.user.id, input);
    afterAck(() => broadcastGroupChange(io, result));
    return { conversation: requireConversation(result) };
  },

  [ClientEvent.GroupRemoveMember]: async ({ deps, io, session, afterAck }, input) => {
    const result = await removeMember(deps, session.user.id, input);
    afterAck(() => broadcastGroupChange(io, result));
    // Null when you removed yourself: that is leaving.
    return { conversation: result.conversation };
  },

  [ClientEvent.GroupLeave]: async ({ deps, io, session, afterAck }, input) => {
    const result = await leaveGroup(deps, session.user.id, input);
    afterAck(() => broadcastGroupChange(io, result));
    return {};
  },

  [ClientEvent.GroupSetRole]: async ({ deps, io, session, afterAck }, input) => {
    const result = await changeMemberRole(deps, session.user.id, input);
    afterAck(() => broadcastGroupChange(io, result));
    return { conversation: requireConversation(result) };
  },

  [ClientEvent.GroupUpdate]: async ({ deps, io, session, afterAck }, input) => {
    const result = await updateGroupInfo(deps, session.user.id, input);
    afterAck(() => broadcastGroupChange(io, result));
    return { conversation: requireConversation(result) };
  },

  [ClientEvent.GroupMembers]: async ({ deps, session }, input) => ({
    members: await listGroupMembers(deps, session.user.id, input.conversationId),
  }),

  [ClientEvent.GroupInviteLink]: async ({ deps, session }, input) => ({
    code: await getInviteLink(deps, session.user.id, input.conversationId),
  }),

  [ClientEvent.GroupInviteCreate]: async ({ deps, session }, input) => ({
    code: await createInviteLink(deps, session.user.id, input),
  }),

  [ClientEvent.GroupInviteRevoke]: async ({ deps, session }, input) => {
    await revokeInviteLink(deps, session.user.id, input.conversationId);
    return { code: null };
  },

  [ClientEvent.GroupInvitePreview]: async ({ deps, session }, input) => ({
    invite: await previewInvite(deps, session.user.id, input.code),
  }),

  [ClientEvent.GroupJoin]: async ({ deps, io, session, afterAck }, input) => {
    const result = await joinGroupByInvite(deps, session.user.id, input.code);
    afterAck(() => broadcastGroupChange(io, result));
    return { conversation: requireConversation(result) };
  },
};

/**
 * Members get the system messages. People no longer in it get the one that recorded their going
 * (the last message they will see), then are told they are no longer members.
 */
export function broadcastGroupChange(io: HandlerContext['io'], result: GroupChangeResult): void {
  for (const message of result.systemMessages) {
    io.to(result.memberIds.map(userRoom)).emit(ServerEvent.MessageCreated, message);
  }
  const departure = result.systemMessages[0];
  const lastSeq = departure?.seq ?? result.departureSeq;
  if (result.removedIds.length === 0 || lastSeq === undefined) return;
  if (departure) io.to(result.removedIds.map(userRoom)).emit(ServerEvent.MessageCreated, departure);
  for (const userId of result.removedIds) {
    io.to(userRoom(userId)).emit(ServerEvent.ConversationRemoved, {
      conversationId: result.conversationId,
      membership: result.leftIds?.includes(userId) ? 'left' : 'removed',
      lastSeq,
    });
  }
}

function requireConversation(result: GroupChangeResult) {
  if (!result.conversation) throw new Error('the actor is no longer in the group');
  return result.conversation;
}
