import { setConversationArchived } from '../../db';
import type { ConversationFlags } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toConversationFlags } from './to-wire';

/**
 * Archives a conversation for the user (or takes it out of the archive). Archiving unpins it.
 * It shows as archived until a message arrives while it is not muted (isArchivedNow), worked
 * out when read: a send writes nothing for it.
 */
export async function archiveConversation(
  deps: Deps,
  userId: string,
  input: { conversationId: string; isArchived: boolean },
): Promise<ConversationFlags> {
  const row = await setConversationArchived(
    deps.db,
    input.conversationId,
    userId,
    input.isArchived,
  );
  if (!row) throw conversationNotFound();
  return toConversationFlags(row);
}
