import { listConversationsForUser, listFormerConversationsForUser } from '../../db';
import { PREVIEW_MAX_CODE_POINTS, type ConversationSummary } from '../../protocol';
import type { Deps } from '../deps';
import { toConversationSummary } from './to-wire';

/**
 * The user's conversations, most recent first: those they are in, and the groups they left or
 * were removed from, which they keep read-only.
 */
export async function listConversations(
  deps: Deps,
  userId: string,
): Promise<ConversationSummary[]> {
  const options = { previewLength: PREVIEW_MAX_CODE_POINTS };
  const [current, former] = await Promise.all([
    listConversationsForUser(deps.db, userId, options),
    listFormerConversationsForUser(deps.db, userId, options),
  ]);
  return [...current, ...former]
    .map(toConversationSummary)
    .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
}
