import { listChangesPage } from '../../db';
import { CHANGES_PAGE_DEFAULT, PREVIEW_MAX_CODE_POINTS, type MessageChanges } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toMessageView } from './to-wire';

/**
 * The messages of a conversation that changed beyond a device's change cursor, in their
 * current state as the reader sees them, one bounded page at a time. Former members get the
 * changes of what they can still read (a deletion erases it on their devices too).
 */
export async function listMessageChanges(
  deps: Deps,
  readerId: string,
  input: { conversationId: string; afterChangeSeq: number; limit?: number },
): Promise<MessageChanges> {
  const page = await listChangesPage(deps.db, {
    conversationId: input.conversationId,
    readerId,
    afterChangeSeq: input.afterChangeSeq,
    limit: input.limit ?? CHANGES_PAGE_DEFAULT,
    quoteLength: PREVIEW_MAX_CODE_POINTS,
  });
  if (!page) throw conversationNotFound();
  return {
    conversationId: input.conversationId,
    messages: page.messages.map(toMessageView),
    changeSeq: page.changeSeq,
    hasMore: page.hasMore,
  };
}
