import { findMembership, listMessagesAfter, listMessagesBefore } from '../../db';
import { HISTORY_PAGE_DEFAULT, type Message } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toMessages } from './to-wire';

/**
 * A page of a conversation's history, oldest first, for a member: backwards from `beforeSeq`
 * (or from the newest message), or forwards from `afterSeq` (sync from a device's cursor).
 * `hasMore` tells whether more messages lie beyond the page in the direction of paging.
 */
export async function getHistory(
  deps: Deps,
  userId: string,
  input: { conversationId: string; beforeSeq?: number; afterSeq?: number; limit?: number },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const membership = await findMembership(deps.db, input.conversationId, userId);
  if (!membership) throw conversationNotFound();
  // Members added later see the conversation from the message that recorded their arrival.
  const fromSeq = membership.joinedSeq;
  const limit = input.limit ?? HISTORY_PAGE_DEFAULT;
  const page =
    input.afterSeq === undefined
      ? await listMessagesBefore(deps.db, input.conversationId, {
          limit,
          fromSeq,
          ...(input.beforeSeq === undefined ? {} : { beforeSeq: input.beforeSeq }),
        })
      : await listMessagesAfter(deps.db, input.conversationId, {
          afterSeq: input.afterSeq,
          limit,
          fromSeq,
        });
  return { messages: await toMessages(deps.db, page.messages), hasMore: page.hasMore };
}
