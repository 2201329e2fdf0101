import { listChangesPage, type ChangesPage } from '../../db';
import {
  CHANGES_PAGE_DEFAULT,
  PREVIEW_MAX_CODE_POINTS,
  type MessageChanges,
  type UnreadPosition,
} from '../../protocol';
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
    // Read in the snapshot of the conversation's last change: only the last page ends there.
    ...(page.hasMore ? {} : { unread: unreadPositionOf(page.unread) }),
  };
}

function unreadPositionOf(unread: ChangesPage['unread']): UnreadPosition {
  const { lastSeq, readSeq, gone } = unread;
  // Deleted and hidden messages were unread but are nothing to read any more.
  return { unreadCount: Math.max(0, lastSeq - readSeq - gone), lastSeq, readSeq };
}
