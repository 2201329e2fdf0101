import { deleteFormerMembers, insertMembers } from '../../db';
import type { Deps } from '../deps';
import {
  changeGroup,
  requireAdmin,
  requireRoomFor,
  toNamedUser,
  type GroupChangeResult,
} from './group-change';
import { resolveUsernames } from './resolve-usernames';

/**
 * An admin adds people. The size limit is checked against the members read under the group's
 * lock, so admins adding at the same moment can never pass it together. Newcomers see the
 * group from the system message that records their arrival on (former members too: the history
 * they kept from before stays on their devices).
 */
export async function addMembers(
  deps: Deps,
  actorId: string,
  input: { conversationId: string; usernames: string[] },
): Promise<GroupChangeResult> {
  const users = await resolveUsernames(deps, input.usernames);
  return changeGroup(deps, actorId, input.conversationId, async (group) => {
    requireAdmin(group.actor);
    const present = new Set(group.members.map((member) => member.userId));
    const newcomers = users.filter((user) => !present.has(user.id));
    if (newcomers.length === 0) return { events: [] };
    requireRoomFor(group.members.length + newcomers.length, deps.settings.current.maxGroupSize);
    await insertMembers(
      group.tx,
      group.conversationId,
      newcomers.map((user) => ({ userId: user.id, role: 'member' })),
      group.lastSeq + 1,
    );
    // Former members added again are members anew, from this message on, like anyone added.
    await deleteFormerMembers(
      group.tx,
      group.conversationId,
      newcomers.map((user) => user.id),
    );
    return {
      events: [{ type: 'added', actor: toNamedUser(group.actor), users: newcomers }],
      addedIds: newcomers.map((user) => user.id),
    };
  });
}
