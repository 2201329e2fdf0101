import {
  deleteBlock,
  findBlockBetween,
  findUserById,
  insertBlock,
  listBlocked,
  listMemberIds,
  type Executor,
} from '../../db';
import { ErrorCode, type Profile } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { toProfile } from './update-profile';

/** Why a send to a direct conversation with a block between its two people was refused. */
export async function blockedError(
  deps: { db: Executor },
  conversationId: string,
  senderId: string,
): Promise<AppError> {
  const memberIds = await listMemberIds(deps.db, conversationId);
  const otherId = memberIds.find((id) => id !== senderId);
  const direction = otherId ? await findBlockBetween(deps.db, senderId, otherId) : null;
  return direction === 'me'
    ? new AppError(ErrorCode.Blocked, 'You blocked this person. Unblock them to send a message.')
    : new AppError(ErrorCode.Blocked, 'You cannot send messages to this person.');
}

/** Starting a chat: refused when the other person blocked the one who starts it. */
export async function assertNotBlockedBy(deps: Deps, userId: string, otherId: string) {
  if ((await findBlockBetween(deps.db, userId, otherId)) === 'them') {
    throw new AppError(ErrorCode.Blocked, 'You cannot start a chat with this person.');
  }
}

/** Blocks someone; answers with everyone the user has blocked. */
export async function blockUser(deps: Deps, userId: string, targetId: string): Promise<Profile[]> {
  if (targetId === userId) throw new AppError(ErrorCode.BadRequest, 'You cannot block yourself.');
  if (!(await findUserById(deps.db, targetId))) {
    throw new AppError(ErrorCode.NotFound, 'No such user.');
  }
  await insertBlock(deps.db, userId, targetId);
  deps.logger.info({ event: 'user.blocked', userId, blockedId: targetId }, 'user blocked someone');
  return listBlockedPeople(deps, userId);
}

/** Takes a block away (none: nothing changes); answers with everyone still blocked. */
export async function unblockUser(
  deps: Deps,
  userId: string,
  targetId: string,
): Promise<Profile[]> {
  await deleteBlock(deps.db, userId, targetId);
  return listBlockedPeople(deps, userId);
}

export async function listBlockedPeople(deps: Deps, userId: string): Promise<Profile[]> {
  return (await listBlocked(deps.db, userId)).map(toProfile);
}
