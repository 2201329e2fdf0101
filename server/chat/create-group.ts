import {
  findGroupByClientRequestId,
  inTransaction,
  insertGroup,
  insertMembers,
  isUniqueViolation,
} from '../../db';
import type { UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import type { GroupEvent } from './describe-group-event';
import { getConversation } from './get-conversation';
import {
  recordGroupEvents,
  requireRoomFor,
  withActorView,
  type GroupChangeResult,
} from './group-change';
import { resolveUsernames } from './resolve-usernames';

/**
 * A new group with its creator as first admin and the others as members, recorded by system
 * messages from seq 1 on. The size limit counts the creator too. A retry of the request (the
 * same clientRequestId from the same creator) answers with the group it created, creating
 * nothing: the first answer may have been lost.
 */
export async function createGroup(
  deps: Deps,
  creator: UserSummary,
  input: { title: string; usernames: string[]; clientRequestId: string },
): Promise<GroupChangeResult> {
  const earlier = await findGroupByClientRequestId(deps.db, creator.id, input.clientRequestId);
  if (earlier) return answerRetry(deps, creator.id, earlier);
  try {
    return await insertNewGroup(deps, creator, input);
  } catch (error) {
    // Two tries of the request at the same moment: the other one created it.
    if (!isUniqueViolation(error, 'conversations_creator_request_key')) throw error;
    const winner = await findGroupByClientRequestId(deps.db, creator.id, input.clientRequestId);
    if (!winner) throw error;
    return answerRetry(deps, creator.id, winner);
  }
}

/** The group as the creator sees it now (NOT_FOUND once they left); nothing to broadcast. */
async function answerRetry(
  deps: Deps,
  creatorId: string,
  conversationId: string,
): Promise<GroupChangeResult> {
  return {
    conversationId,
    conversation: await getConversation(deps, creatorId, conversationId),
    memberIds: [],
    removedIds: [],
    systemMessages: [],
  };
}

async function insertNewGroup(
  deps: Deps,
  creator: UserSummary,
  input: { title: string; usernames: string[]; clientRequestId: string },
): Promise<GroupChangeResult> {
  const others = (await resolveUsernames(deps, input.usernames)).filter(
    (user) => user.id !== creator.id,
  );
  requireRoomFor(others.length + 1, deps.settings.current.maxGroupSize);
  const committed = await inTransaction(deps.db, async (tx) => {
    const group = await insertGroup(tx, {
      title: input.title,
      createdBy: creator.id,
      clientRequestId: input.clientRequestId,
    });
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
