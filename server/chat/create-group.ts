import { createGroup as insertGroup } from '../../db';
import type { UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { describeGroupEvent } from './describe-group-event';
import { runGroupChange, type GroupChangeResult } from './group-change';
import { resolveUsernames } from './resolve-usernames';

/** A new group with its creator as first admin; the size limit counts the creator too. */
export async function createGroup(
  deps: Deps,
  creator: UserSummary,
  input: { title: string; usernames: string[] },
): Promise<GroupChangeResult> {
  const members = await resolveUsernames(deps, input.usernames);
  return runGroupChange(deps, creator.id, () =>
    insertGroup(
      deps.db,
      { creator, title: input.title, members, maxSize: deps.settings.current.maxGroupSize },
      describeGroupEvent,
    ),
  );
}
