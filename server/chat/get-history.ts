import { listHistoryPage, type HistoryPage, type HistoryPageRequest } from '../../db';
import { HISTORY_PAGE_DEFAULT, PREVIEW_MAX_CODE_POINTS, type Message } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toMessageView } from './to-wire';

/**
 * A page of a conversation's history, oldest first, for a member: backwards from `beforeSeq`
 * (or from the newest message), forwards from `afterSeq` (sync from a device's cursor), or
 * around `aroundSeq` (to show a quoted message in its place: up to half the page before it, it
 * included, the rest after it). `hasMore` tells whether more messages lie beyond the page in
 * the direction of paging (for a page around a seq: before it, as one pages back from there).
 * Members added later see the conversation from the message that recorded their arrival;
 * former members see it up to the message that recorded their going. Each message is as the
 * reader sees it now: edited, deleted, reacted to, or hidden by them.
 */
export async function getHistory(
  deps: Deps,
  userId: string,
  input: {
    conversationId: string;
    beforeSeq?: number;
    afterSeq?: number;
    aroundSeq?: number;
    limit?: number;
  },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const limit = input.limit ?? HISTORY_PAGE_DEFAULT;
  const request: HistoryPageRequest = {
    conversationId: input.conversationId,
    readerId: userId,
    limit,
    quoteLength: PREVIEW_MAX_CODE_POINTS,
    ...(input.afterSeq === undefined ? {} : { afterSeq: input.afterSeq }),
    ...(input.beforeSeq === undefined ? {} : { beforeSeq: input.beforeSeq }),
  };
  const page =
    input.aroundSeq === undefined
      ? await readPage(deps, request)
      : await readPageAround(deps, request, input.aroundSeq);
  if (!page) throw conversationNotFound();
  return { messages: page.messages.map(toMessageView), hasMore: page.hasMore };
}

/** A member's page, or a former member's, or null for anyone else. */
async function readPage(deps: Deps, request: HistoryPageRequest): Promise<HistoryPage | null> {
  return (
    (await listHistoryPage(deps.db, request)) ??
    (await listHistoryPage(deps.db, { ...request, reader: 'former' }))
  );
}

async function readPageAround(
  deps: Deps,
  request: HistoryPageRequest,
  aroundSeq: number,
): Promise<HistoryPage | null> {
  const before = Math.ceil(request.limit / 2);
  const older = await readPage(deps, { ...request, beforeSeq: aroundSeq + 1, limit: before });
  if (!older) return null;
  const after = request.limit - before;
  if (after === 0) return older;
  const newer = await readPage(deps, { ...request, afterSeq: aroundSeq, limit: after });
  return { messages: [...older.messages, ...(newer?.messages ?? [])], hasMore: older.hasMore };
}
