import { updateGroupInfo as writeGroupInfo, type GroupInfo } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import type { GroupEvent } from './describe-group-event';
import { changeGroup, toNamedUser, type GroupChangeResult } from './group-change';

/**
 * Changes a group's name and description (any member, or only admins when the group says so),
 * who may change them and who may send messages (admins only). Each change is recorded by a system message; what
 * is as asked already changes nothing.
 */
export function updateGroupInfo(
  deps: Deps,
  actorId: string,
  input: {
    conversationId: string;
    title?: string;
    description?: string;
    isInfoAdminsOnly?: boolean;
    isSendAdminsOnly?: boolean;
  },
): Promise<GroupChangeResult> {
  return changeGroup(deps, actorId, input.conversationId, async (group) => {
    const isAdmin = group.actor.role === 'admin';
    if (input.isInfoAdminsOnly !== undefined && !isAdmin) {
      throw new AppError(
        ErrorCode.Forbidden,
        'Only group admins can choose who may change the group info.',
      );
    }
    if (input.isSendAdminsOnly !== undefined && !isAdmin) {
      throw new AppError(
        ErrorCode.Forbidden,
        'Only group admins can choose who may send messages.',
      );
    }
    const isInfoChange = input.title !== undefined || input.description !== undefined;
    if (isInfoChange && group.info.isInfoAdminsOnly && !isAdmin) {
      throw new AppError(
        ErrorCode.Forbidden,
        'Only group admins can change the group name and description.',
      );
    }
    const actor = toNamedUser(group.actor);
    const changes: Partial<GroupInfo> = {};
    const events: GroupEvent[] = [];
    if (input.title !== undefined && input.title !== group.info.title) {
      changes.title = input.title;
      events.push({ type: 'renamed', actor, title: input.title });
    }
    if (input.description !== undefined && input.description !== group.info.description) {
      changes.description = input.description;
      events.push({ type: 'described', actor, description: input.description });
    }
    if (
      input.isInfoAdminsOnly !== undefined &&
      input.isInfoAdminsOnly !== group.info.isInfoAdminsOnly
    ) {
      changes.isInfoAdminsOnly = input.isInfoAdminsOnly;
      events.push({ type: 'info-rights', actor, isAdminsOnly: input.isInfoAdminsOnly });
    }
    if (
      input.isSendAdminsOnly !== undefined &&
      input.isSendAdminsOnly !== group.info.isSendAdminsOnly
    ) {
      changes.isSendAdminsOnly = input.isSendAdminsOnly;
      events.push({ type: 'send-rights', actor, isAdminsOnly: input.isSendAdminsOnly });
    }
    if (events.length > 0)
      await writeGroupInfo(group.tx, group.lock, group.conversationId, changes);
    return { events };
  });
}
