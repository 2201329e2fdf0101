import {
  findFormerMembership,
  findMembership,
  hideHistory,
  inTransaction,
  listMessageViews,
  lockConversations,
} from '../../db';
import { PREVIEW_MAX_CODE_POINTS, type ConversationCleared } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import type { ChangeDelivery } from './message-change';
import { toMessageView } from './to-wire';

/**
 * The newest hides of a clear that are pushed to the user's devices, as one change: what is on
 * their screens goes at once, and a device fetches the rest (its change cursor sees the gap)
 * in pages of changes, as after any missed change.
 */
export const CLEAR_PUSH_MAX = 200;

export interface ClearResult {
  cleared: ConversationCleared;
  /** To the user's devices but the one that cleared; none when nothing was hidden. */
  deliveries: ChangeDelivery[];
}

/**
 * "Clear chat": hides every message the user can see in the conversation, for them alone, on
 * all their devices, as "delete for me" hides one (the others keep theirs). A former member
 * clears what they saw before they went. Under the conversation's lock, so the clear covers
 * exactly the messages sent before it. Clearing a cleared chat hides only what came since.
 */
export async function clearConversation(
  deps: Deps,
  userId: string,
  input: { conversationId: string },
): Promise<ClearResult> {
  const { conversationId } = input;
  return inTransaction(deps.db, async (tx) => {
    const lock = await lockConversations(tx, [conversationId]);
    const member = await findMembership(tx, conversationId, userId);
    const former = member ? null : await findFormerMembership(tx, conversationId, userId);
    const span = member ?? former;
    if (!span) throw conversationNotFound();
    const hidden = await hideHistory(tx, lock, {
      conversationId,
      userId,
      fromSeq: span.joinedSeq,
      ...(former && { toSeq: former.leftSeq }),
      newest: CLEAR_PUSH_MAX,
    });
    if (!hidden) throw conversationNotFound();
    const cleared: ConversationCleared = {
      conversationId,
      upToSeq: hidden.upToSeq,
      count: hidden.count,
      changeSeq: hidden.changeSeq,
    };
    if (hidden.count === 0) return { cleared, deliveries: [] };
    const views = await listMessageViews(tx, {
      conversationId,
      seqs: hidden.newestSeqs,
      readerId: userId,
      quoteLength: PREVIEW_MAX_CODE_POINTS,
    });
    const messages = views.map(toMessageView);
    return {
      cleared,
      deliveries: [
        {
          userIds: [userId],
          payload: {
            conversationId,
            messages,
            changeSeq: hidden.changeSeq,
            // The newest hides took the last change seqs: those before them are the gap a
            // device fetches when the clear hid more than is pushed.
            previousChangeSeq: hidden.changeSeq - messages.length,
          },
        },
      ],
    };
  });
}
