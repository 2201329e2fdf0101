import { setMemberRole } from '../../db';
import { ErrorCode, type MemberRole } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import {
  changeGroup,
  findTarget,
  requireAdmin,
  toNamedUser,
  type GroupChangeResult,
} from './group-change';

/** An admin makes a member an admin, or an admin a member; never the last admin a member. */
export function changeMemberRole(
  deps: Deps,
  actorId: string,
  input: { conversationId: string; userId: string; role: MemberRole },
): Promise<GroupChangeResult> {
  return changeGroup(deps, actorId, input.conversationId, async (group) => {
    requireAdmin(group.actor);
    const target = findTarget(group, input.userId);
    if (target.role === input.role) return { events: [] };
    const admins = group.members.filter((member) => member.role === 'admin');
    if (input.role === 'member' && admins.length === 1) {
      throw new AppError(
        ErrorCode.LastAdmin,
        'A group needs at least one admin. Make someone else an admin first.',
      );
    }
    await setMemberRole(group.tx, group.conversationId, target.userId, input.role);
    return {
      events: [
        {
          type: input.role === 'admin' ? 'promoted' : 'demoted',
          actor: toNamedUser(group.actor),
          user: toNamedUser(target),
        },
      ],
    };
  });
}
