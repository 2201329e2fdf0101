import { listConversationsForUser } from '../../db';
import { PREVIEW_MAX_CODE_POINTS, type ConversationSummary } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toConversationSummary } from './to-wire';

/** One conversation of the user; NOT_FOUND when it does not exist or they are not in it. */
export async function getConversation(
  deps: Deps,
  userId: string,
  conversationId: string,
): Promise<ConversationSummary> {
  const [row] = await listConversationsForUser(deps.db, userId, {
    previewLength: PREVIEW_MAX_CODE_POINTS,
    conversationId,
  });
  if (!row) throw conversationNotFound();
  return toConversationSummary(row);
}
