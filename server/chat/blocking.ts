import {
  deleteBlock,
  findBlockBetween,
  findUserById,
  inTransaction,
  insertBlock,
  findMemberSendFlags,
  listBlocked,
  listMemberIds,
  setDirectBlocked,
  type Executor,
} from '../../db';
import { ErrorCode, type Profile } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { toProfile } from './update-profile';

/**
 * A send refused as not a member's, from a member: the error when it was a direct conversation
 * with a block between its two people, or a group where only admins send (its member rows say
 * so); else null.
 */
export async function findSendRefusal(
  deps: { db: Executor },
  conversationId: string,
  senderId: string,
): Promise<AppError | null> {
  const flags = await findMemberSendFlags(deps.db, conversationId, senderId);
  if (flags?.isBlocked) return blockedError(deps, conversationId, senderId);
  if (flags && !flags.canSend) {
    return new AppError(ErrorCode.Forbidden, 'Only admins can send messages to this group.');
  }
  return null;
}

/** Why a send to a direct conversation with a block between its two people was refused. */
async function blockedError(
  deps: { db: Executor },
  conversationId: string,
  senderId: string,
): Promise<AppError> {
  const memberIds = await listMemberIds(deps.db, conversationId);
  const otherId = memberIds.find((id) => id !== senderId);
  if (otherId && (await findUserById(deps.db, otherId))?.deletedAt) {
    return new AppError(ErrorCode.Forbidden, 'This account was deleted: it gets no messages.');
  }
  const direction = otherId ? await findBlockBetween(deps.db, senderId, otherId) : null;
  return direction === 'me'
    ? new AppError(ErrorCode.Blocked, 'You blocked this person. Unblock them to send a message.')
    : new AppError(ErrorCode.Blocked, 'You cannot send messages to this person.');
}

/**
 * Starting a chat: refused when the other person blocked the one who starts it. Returns
 * whether there is a block either way (a new direct conversation is then marked blocked).
 */
export async function checkBlockBeforeStart(
  deps: Deps,
  userId: string,
  otherId: string,
): Promise<boolean> {
  const block = await findBlockBetween(deps.db, userId, otherId);
  if (block === 'them') {
    throw new AppError(ErrorCode.Blocked, 'You cannot start a chat with this person.');
  }
  return block !== null;
}

/** After a direct conversation was opened between two people with a block between them. */
export async function markDirectBlocked(deps: Deps, userId: string, otherId: string) {
  await setDirectBlocked(deps.db, userId, otherId, true);
}

/** Blocks someone; answers with everyone the user has blocked. */
export async function blockUser(deps: Deps, userId: string, targetId: string): Promise<Profile[]> {
  if (targetId === userId) throw new AppError(ErrorCode.BadRequest, 'You cannot block yourself.');
  if (!(await findUserById(deps.db, targetId))) {
    throw new AppError(ErrorCode.NotFound, 'No such user.');
  }
  await inTransaction(deps.db, async (tx) => {
    await insertBlock(tx, userId, targetId);
    await setDirectBlocked(tx, userId, targetId, true);
  });
  deps.logger.info({ event: 'user.blocked', userId, blockedId: targetId }, 'user blocked someone');
  return listBlockedPeople(deps, userId);
}

/** Takes a block away (none: nothing changes); answers with everyone still blocked. */
export async function unblockUser(
  deps: Deps,
  userId: string,
  targetId: string,
): Promise<Profile[]> {
  await inTransaction(deps.db, async (tx) => {
    await deleteBlock(tx, userId, targetId);
    // Still blocked the other way: the direct chat stays closed.
    if ((await findBlockBetween(tx, userId, targetId)) === null) {
      await setDirectBlocked(tx, userId, targetId, false);
    }
  });
  return listBlockedPeople(deps, userId);
}

export async function listBlockedPeople(deps: Deps, userId: string): Promise<Profile[]> {
  return (await listBlocked(deps.db, userId)).map(toProfile);
}
