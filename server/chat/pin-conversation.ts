import {
  countPinned,
  findMemberFlags,
  inTransaction,
  lockPinsOf,
  setConversationPinned,
} from '../../db';
import { ErrorCode, MAX_PINNED_CONVERSATIONS, type ConversationFlags } from '../../protocol';
import type { Deps } from '../deps';
import { AppError, conversationNotFound } from '../errors';
import { toConversationFlags } from './to-wire';

/**
 * Pins a conversation to the top of the user's list (or unpins it). At most
 * MAX_PINNED_CONVERSATIONS are pinned: the count is read under a lock on the user's pins, so
 * two pins at once cannot pass it. Pinning an archived chat takes it out of the archive (it
 * cannot be on top of a list it is not in); pinning a pinned chat changes nothing.
 */
export async function pinConversation(
  deps: Deps,
  userId: string,
  input: { conversationId: string; isPinned: boolean },
): Promise<ConversationFlags> {
  const { conversationId, isPinned } = input;
  if (!isPinned) {
    const row = await setConversationPinned(deps.db, conversationId, userId, false);
    if (!row) throw conversationNotFound();
    return toConversationFlags(row);
  }
  const row = await inTransaction(deps.db, async (tx) => {
    await lockPinsOf(tx, userId);
    const flags = await findMemberFlags(tx, conversationId, userId);
    if (!flags) throw conversationNotFound();
    if (flags.pinnedAt === null && (await countPinned(tx, userId)) >= MAX_PINNED_CONVERSATIONS) {
      throw new AppError(
        ErrorCode.PinLimit,
        `You can pin up to ${MAX_PINNED_CONVERSATIONS} chats.`,
      );
    }
    return setConversationPinned(tx, conversationId, userId, true);
  });
  if (!row) throw conversationNotFound();
  return toConversationFlags(row);
}
