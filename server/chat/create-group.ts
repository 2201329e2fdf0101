import { inTransaction, insertGroup, insertMembers } from '../../db';
import type { UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import type { GroupEvent } from './describe-group-event';
import {
  recordGroupEvents,
  requireRoomFor,
  withActorView,
  type GroupChangeResult,
} from './group-change';
import { resolveUsernames } from './resolve-usernames';

/**
 * A new group with its creator as first admin and the others as members, recorded by system
 * messages from seq 1 on. The size limit counts the creator too.
 */
export async function createGroup(
  deps: Deps,
  creator: UserSummary,
  input: { title: string; usernames: string[] },
): Promise<GroupChangeResult> {
  const others = (await resolveUsernames(deps, input.usernames)).filter(
    (user) => user.id !== creator.id,
  );
  requireRoomFor(others.length + 1, deps.settings.current.maxGroupSize);
  const committed = await inTransaction(deps.db, async (tx) => {
    const group = await insertGroup(tx, { title: input.title, createdBy: creator.id });
    await insertMembers(
      tx,
      group.id,
      [
        { userId: creator.id, role: 'admin' },
        ...others.map((user) => ({ userId: user.id, role: 'member' as const })),
      ],
      0,
    );
    const events: GroupEvent[] = [{ type: 'created', actor: creator, title: input.title }];
    if (others.length > 0) events.push({ type: 'added', actor: creator, users: others });
    const systemMessages = await recordGroupEvents(tx, group.lock, group.id, creator, events);
    return {
      conversationId: group.id,
      memberIds: [creator.id, ...others.map((user) => user.id)],
      removedIds: [],
      systemMessages,
    };
  });
  return withActorView(deps, creator.id, committed);
}
