import {
  ErrorCode,
  EVENTS_IN_FLIGHT_PER_SOCKET,
  HISTORY_PAGE_MAX,
  LIST_PAGE_MESSAGES_MAX,
  LIST_PAGES_MAX,
  type CatchUpPage,
  type ConversationSummary,
  type ListCursor,
} from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { getHistory } from './get-history';

/**
 * The first page past each of a device's cursors, for the conversations of the user's list
 * (`conversations`, most recent first) that have news: what message:history with that
 * `afterSeq` would answer, so that a device catches up in the one round trip of its list.
 * Cursors of conversations outside the list are ignored. At most LIST_PAGES_MAX pages and
 * about LIST_PAGE_MESSAGES_MAX messages in all; each page is paid for from the user's work
 * budget as a history page would be (`afford`), and the pages it cannot pay for are left out:
 * the device asks for those itself.
 */
export async function readCatchUpPages(
  deps: Deps,
  userId: string,
  conversations: ConversationSummary[],
  cursors: ListCursor[],
  afford: () => boolean,
): Promise<CatchUpPage[]> {
  const afterSeqs = new Map(cursors.map((cursor) => [cursor.conversationId, cursor.afterSeq]));
  const wanted: (ListCursor & { limit: number })[] = [];
  let budget = LIST_PAGE_MESSAGES_MAX;
  for (const conversation of conversations) {
    if (wanted.length === LIST_PAGES_MAX || budget === 0) break;
    const afterSeq = afterSeqs.get(conversation.id);
    if (afterSeq === undefined || conversation.lastSeq <= afterSeq) continue;
    if (!afford()) break;
    const limit = Math.min(HISTORY_PAGE_MAX, budget);
    budget -= Math.min(limit, conversation.lastSeq - afterSeq);
    wanted.push({ conversationId: conversation.id, afterSeq, limit });
  }
  const read = async (request: (typeof wanted)[number]): Promise<CatchUpPage | null> => {
    try {
      const page = await getHistory(deps, userId, request);
      return { conversationId: request.conversationId, ...page };
    } catch (error) {
      // Gone from the user since the list was read: the device learns it as it would have.
      if (error instanceof AppError && error.code === ErrorCode.NotFound) return null;
      throw error;
    }
  };
  // A few at a time, as many as a device may have history pages in flight: one list takes no
  // more of the database's connections than the pages it stands for would have.
  const pages: (CatchUpPage | null)[] = [];
  let next = 0;
  const reader = async () => {
    for (let index = next++; index < wanted.length; index = next++) {
      pages[index] = await read(wanted[index]!);
    }
  };
  await Promise.all(Array.from({ length: EVENTS_IN_FLIGHT_PER_SOCKET }, reader));
  return pages.filter((page) => page !== null);
}
