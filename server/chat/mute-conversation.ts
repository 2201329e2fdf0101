import { setConversationMuted } from '../../db';
import type { ConversationFlags } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toConversationFlags } from './to-wire';

/**
 * Turns push notifications for one conversation off (or on again) for the user. Where it shows
 * stays as it was: see setConversationMuted on archived chats.
 */
export async function muteConversation(
  deps: Deps,
  userId: string,
  input: { conversationId: string; isMuted: boolean },
): Promise<ConversationFlags> {
  const row = await setConversationMuted(deps.db, input.conversationId, userId, input.isMuted);
  if (!row) throw conversationNotFound();
  return toConversationFlags(row);
}
