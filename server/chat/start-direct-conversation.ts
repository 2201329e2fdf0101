import { findOrCreateDirectConversation, findUserByUsername } from '../../db';
import { ErrorCode, type ConversationSummary } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { checkBlockBeforeStart, markDirectBlocked } from './blocking';
import { getConversation } from './get-conversation';

/** Opens the 1:1 conversation with `username`, creating it the first time. */
export async function startDirectConversation(
  deps: Deps,
  userId: string,
  username: string,
): Promise<ConversationSummary> {
  const other = await findUserByUsername(deps.db, username);
  // A deleted account keeps its username for a while, but nobody can start a chat with it.
  if (!other || other.deletedAt)
    throw new AppError(ErrorCode.NotFound, `There is no user named “${username}”.`);
  if (other.id === userId) {
    throw new AppError(ErrorCode.BadRequest, 'You cannot start a conversation with yourself.');
  }
  const isBlocked = await checkBlockBeforeStart(deps, userId, other.id);
  const conversation = await findOrCreateDirectConversation(deps.db, userId, other.id);
  if (isBlocked) await markDirectBlocked(deps, userId, other.id);
  return getConversation(deps, userId, conversation.id);
}
