import { searchMessages as findMessages } from '../../db';
import {
  cutSnippet,
  ErrorCode,
  SEARCH_MATCHES_MAX,
  SEARCH_PAGE_DEFAULT,
  type MessageSearchResults,
} from '../../protocol';
import type { Deps } from '../deps';
import { AppError, conversationNotFound } from '../errors';

/**
 * The messages a person may see with every word searched for, newest first, each as a snippet
 * around the first word found. A search whose words are in more than SEARCH_MATCHES_MAX
 * messages is refused as too broad rather than left to cost without bound.
 */
export async function searchMessages(
  deps: Deps,
  userId: string,
  input: { query: string; conversationId?: string; beforeId?: number; limit?: number },
): Promise<MessageSearchResults> {
  const outcome = await findMessages(deps.db, {
    readerId: userId,
    text: input.query,
    limit: input.limit ?? SEARCH_PAGE_DEFAULT,
    matchesMax: SEARCH_MATCHES_MAX,
    ...(input.conversationId === undefined ? {} : { conversationId: input.conversationId }),
    ...(input.beforeId === undefined ? {} : { beforeId: input.beforeId }),
  });
  switch (outcome.status) {
    case 'no-conversation':
      throw conversationNotFound();
    case 'common-words':
      throw new AppError(
        ErrorCode.SearchTooBroad,
        `${outcome.terms.length === 1 ? 'This word is' : 'These words are'} in too many messages to search for on ${outcome.terms.length === 1 ? 'its' : 'their'} own. Add a less common word.`,
        { field: 'query' },
      );
    case 'too-broad':
      throw new AppError(
        ErrorCode.SearchTooBroad,
        `These words are in more than ${SEARCH_MATCHES_MAX.toLocaleString('en-US')} messages. Add a word${input.conversationId === undefined ? ', or search in one chat' : ''}.`,
        { field: 'query' },
      );
    case 'found':
      return {
        terms: outcome.terms,
        hasMore: outcome.hasMore,
        results: outcome.hits.map((hit) => {
          const snippet = cutSnippet(hit.body, outcome.terms);
          return {
            id: hit.id,
            conversationId: hit.conversationId,
            seq: hit.seq,
            senderId: hit.senderId,
            senderUsername: hit.senderUsername,
            createdAt: hit.createdAt.toISOString(),
            snippet: snippet.text,
            isCutBefore: snippet.isCutBefore,
            isCutAfter: snippet.isCutAfter,
          };
        }),
      };
  }
}
