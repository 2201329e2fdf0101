import { deleteMember, setMemberRole } from '../../db';
import type { Deps } from '../deps';
import type { GroupEvent } from './describe-group-event';
import { changeGroup, toNamedUser, type GroupChangeResult } from './group-change';

/**
 * The actor leaves. If they were the last admin, the longest-standing member becomes admin,
 * recorded by a system message: a group never loses its last admin silently. Leaving a group
 * you are not in (any more) answers as done.
 */
export function leaveGroup(
  deps: Deps,
  actorId: string,
  input: { conversationId: string },
): Promise<GroupChangeResult> {
  return changeGroup(
    deps,
    actorId,
    input.conversationId,
    async (group) => {
      await deleteMember(group.tx, group.conversationId, actorId);
      const events: GroupEvent[] = [{ type: 'left', actor: toNamedUser(group.actor) }];
      const remaining = group.members.filter((member) => member.userId !== actorId);
      if (remaining.length > 0 && !remaining.some((member) => member.role === 'admin')) {
        const successor = toNamedUser(remaining[0]!); // members come longest-standing first
        await setMemberRole(group.tx, group.conversationId, successor.id, 'admin');
        events.push({ type: 'succeeded', actor: successor, user: successor });
      }
      return { events, removedIds: [actorId] };
    },
    { isDoneWithoutActor: true },
  );
}
