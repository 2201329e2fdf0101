import { isMember, listMessagesBefore } from '../../db';
import { HISTORY_PAGE_DEFAULT, type Message } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toMessage } from './to-wire';

/** A page of a conversation's history, oldest first, for a member. */
export async function getHistory(
  deps: Deps,
  userId: string,
  input: { conversationId: string; beforeSeq?: number; limit?: number },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  if (!(await isMember(deps.db, input.conversationId, userId))) throw conversationNotFound();
  const page = await listMessagesBefore(deps.db, input.conversationId, {
    limit: input.limit ?? HISTORY_PAGE_DEFAULT,
    ...(input.beforeSeq === undefined ? {} : { beforeSeq: input.beforeSeq }),
  });
  return { messages: page.messages.map(toMessage), hasMore: page.hasMore };
}
