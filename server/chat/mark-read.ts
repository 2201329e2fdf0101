import { advanceReadMarker, listMemberIds } from '../../db';
import type { ReceiptUpdate } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';

/**
 * Records that the user has seen the conversation up to `seq`. Markers only move forward and
 * never past the newest message. Returns the receipt to broadcast and to whom.
 */
export async function markRead(
  deps: Deps,
  userId: string,
  input: { conversationId: string; seq: number },
): Promise<{ receipt: ReceiptUpdate; memberIds: string[] }> {
  const markers = await advanceReadMarker(deps.db, input.conversationId, userId, input.seq);
  if (!markers) throw conversationNotFound();
  const memberIds = await listMemberIds(deps.db, input.conversationId);
  return {
    receipt: { conversationId: input.conversationId, userId, ...markers },
    memberIds,
  };
}
