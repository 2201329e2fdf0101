// Adding, removing, leaving, promoting and demoting: each one transaction (db/queries/groups.ts).

import { addGroupMembers, leaveGroup as leave, removeGroupMember, setGroupRole } from '../../db';
import type { MemberRole } from '../../protocol';
import type { Deps } from '../deps';
import { describeGroupEvent } from './describe-group-event';
import { runGroupChange, type GroupChangeResult } from './group-change';
import { resolveUsernames } from './resolve-usernames';

export async function addMembers(
  deps: Deps,
  actorId: string,
  input: { conversationId: string; usernames: string[] },
): Promise<GroupChangeResult> {
  const users = await resolveUsernames(deps, input.usernames);
  return runGroupChange(deps, actorId, () =>
    addGroupMembers(
      deps.db,
      {
        conversationId: input.conversationId,
        actorId,
        users,
        maxSize: deps.settings.current.maxGroupSize,
      },
      describeGroupEvent,
    ),
  );
}

export function removeMember(
  deps: Deps,
  actorId: string,
  input: { conversationId: string; userId: string },
): Promise<GroupChangeResult> {
  return runGroupChange(deps, actorId, () =>
    input.userId === actorId
      ? leave(deps.db, { conversationId: input.conversationId, actorId }, describeGroupEvent)
      : removeGroupMember(deps.db, { ...input, actorId }, describeGroupEvent),
  );
}

export function leaveGroup(
  deps: Deps,
  actorId: string,
  input: { conversationId: string },
): Promise<GroupChangeResult> {
  return runGroupChange(deps, actorId, () =>
    leave(deps.db, { conversationId: input.conversationId, actorId }, describeGroupEvent),
  );
}

export function setMemberRole(
  deps: Deps,
  actorId: string,
  input: { conversationId: string; userId: string; role: MemberRole },
): Promise<GroupChangeResult> {
  return runGroupChange(deps, actorId, () =>
    setGroupRole(deps.db, { ...input, actorId }, describeGroupEvent),
  );
}
