import { setConversationMuted } from '../../db';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';

/** Turns push notifications for one conversation off (or on again) for the user. */
export async function muteConversation(
  deps: Deps,
  userId: string,
  input: { conversationId: string; isMuted: boolean },
): Promise<boolean> {
  const isMuted = await setConversationMuted(deps.db, input.conversationId, userId, input.isMuted);
  if (isMuted === null) throw conversationNotFound();
  return isMuted;
}
