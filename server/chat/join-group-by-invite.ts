import {
  deleteFormerMembers,
  findBlockersAmong,
  findFormerMembership,
  findGroupPreview,
  findLiveInvite,
  findUserById,
  inTransaction,
  insertMembers,
  lockGroup,
  syncSendRights,
} from '../../db';
import { ErrorCode, type InvitePreview } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import {
  recordGroupEvents,
  requireRoomFor,
  withActorView,
  type GroupChangeResult,
} from './group-change';

function inviteNotFound(): AppError {
  return new AppError(ErrorCode.NotFound, 'This invite link was reset or does not exist.');
}

/** What a live link shows before joining: the group's name, description and size. */
export async function previewInvite(
  deps: Deps,
  userId: string,
  code: string,
): Promise<InvitePreview> {
  const invite = await findLiveInvite(deps.db, code);
  const group = invite && (await findGroupPreview(deps.db, invite.conversationId, userId));
  if (!invite || !group) throw inviteNotFound();
  return {
    conversationId: invite.conversationId,
    title: group.title,
    ...(group.description ? { description: group.description } : {}),
    memberCount: group.memberCount,
    isMember: group.isMember,
  };
}

/**
 * Joins the group of a live invite link. Under the group's lock, like an admin adding someone:
 * the size limit counts the members read under it, and the joining is recorded by a system
 * message in the newcomer's name. Refused when the one who made the link or any admin of the
 * group blocked the newcomer, or when an admin removed them from it. A member who joins again (a retry) gets the group as it is.
 */
export async function joinGroupByInvite(
  deps: Deps,
  userId: string,
  code: string,
): Promise<GroupChangeResult> {
  const invite = await findLiveInvite(deps.db, code);
  const user = await findUserById(deps.db, userId);
  if (!invite || !user) throw inviteNotFound();
  const { conversationId } = invite;
  const committed = await inTransaction(deps.db, async (tx) => {
    const group = await lockGroup(tx, conversationId);
    // The link may have been reset while this waited for the lock.
    if (!group || (await findLiveInvite(tx, code)) === null) throw inviteNotFound();
    const memberIds = group.members.map((member) => member.userId);
    if (memberIds.includes(userId)) {
      return { conversationId, memberIds, removedIds: [], systemMessages: [] };
    }
    const admins = group.members.filter((member) => member.role === 'admin');
    const deciders = [...admins.map((admin) => admin.userId), invite.createdBy ?? []].flat();
    if ((await findBlockersAmong(tx, deciders, userId)).length > 0) {
      throw new AppError(ErrorCode.Blocked, 'You cannot join this group.');
    }
    // Removed by an admin, they come back only if an admin adds them (leaving is no bar).
    if ((await findFormerMembership(tx, conversationId, userId))?.reason === 'removed') {
      throw new AppError(
        ErrorCode.Forbidden,
        'You were removed from this group: only an admin can add you again.',
      );
    }
    requireRoomFor(group.members.length + 1, deps.settings.current.maxGroupSize);
    await insertMembers(tx, conversationId, [{ userId, role: 'member' }], group.lastSeq + 1);
    await deleteFormerMembers(tx, conversationId, [userId]);
    await syncSendRights(tx, group.lock, conversationId);
    const systemMessages = await recordGroupEvents(
      tx,
      group.lock,
      conversationId,
      { id: user.id, username: user.username },
      [{ type: 'joined', actor: { id: user.id, username: user.username } }],
    );
    return { conversationId, memberIds: [...memberIds, userId], removedIds: [], systemMessages };
  });
  if (committed.systemMessages.length > 0) {
    deps.logger.info(
      { event: 'group.joined-by-invite', conversationId, userId },
      'joined a group through its invite link',
    );
  }
  return withActorView(deps, userId, committed);
}
