import { listHistoryPage } from '../../db';
import { HISTORY_PAGE_DEFAULT, type Message } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toMessage } from './to-wire';

/**
 * A page of a conversation's history, oldest first, for a member: backwards from `beforeSeq`
 * (or from the newest message), or forwards from `afterSeq` (sync from a device's cursor).
 * `hasMore` tells whether more messages lie beyond the page in the direction of paging.
 * Members added later see the conversation from the message that recorded their arrival;
 * former members see it up to the message that recorded their going.
 */
export async function getHistory(
  deps: Deps,
  userId: string,
  input: { conversationId: string; beforeSeq?: number; afterSeq?: number; limit?: number },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const request = {
    conversationId: input.conversationId,
    readerId: userId,
    limit: input.limit ?? HISTORY_PAGE_DEFAULT,
    ...(input.afterSeq === undefined ? {} : { afterSeq: input.afterSeq }),
    ...(input.beforeSeq === undefined ? {} : { beforeSeq: input.beforeSeq }),
  };
  const page =
    (await listHistoryPage(deps.db, request)) ??
    (await listHistoryPage(deps.db, { ...request, reader: 'former' }));
  if (!page) throw conversationNotFound();
  return {
    messages: page.messages.map((message) => toMessage(message, message.senderUsername)),
    hasMore: page.hasMore,
  };
}
