import { deleteMember } from '../../db';
import type { Deps } from '../deps';
import {
  changeGroup,
  findTarget,
  requireAdmin,
  toNamedUser,
  type GroupChangeResult,
} from './group-change';
import { leaveGroup } from './leave-group';

/** An admin removes a member; removing yourself is leaving. */
export function removeMember(
  deps: Deps,
  actorId: string,
  input: { conversationId: string; userId: string },
): Promise<GroupChangeResult> {
  if (input.userId === actorId) return leaveGroup(deps, actorId, input);
  return changeGroup(deps, actorId, input.conversationId, async (group) => {
    requireAdmin(group.actor);
    const target = findTarget(group, input.userId);
    await deleteMember(group.tx, group.conversationId, target.userId);
    return {
      events: [{ type: 'removed', actor: toNamedUser(group.actor), user: toNamedUser(target) }],
      removedIds: [target.userId],
    };
  });
}
