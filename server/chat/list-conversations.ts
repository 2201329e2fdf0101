import { listConversationsForUser } from '../../db';
import { PREVIEW_MAX_CODE_POINTS, type ConversationSummary } from '../../protocol';
import type { Deps } from '../deps';
import { toConversationSummary } from './to-wire';

/** The user's conversations, most recent first. */
export async function listConversations(
  deps: Deps,
  userId: string,
): Promise<ConversationSummary[]> {
  const rows = await listConversationsForUser(deps.db, userId, {
    previewLength: PREVIEW_MAX_CODE_POINTS,
  });
  return rows.map(toConversationSummary);
}
