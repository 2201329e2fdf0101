'use client';
// The messages found for a search, newest first, as the person types: in all conversations
// (the list's search) or in one (the conversation's). A result opens its message in place.

import { useEffect, useState } from 'react';
import { SearchQuery, type MessageSearchResult, type MessageSearchResults } from '../protocol';
import { useChatClient, useChatState } from '../hooks/use-chat';
import { formatListTime } from './format-time';
import { HighlightedText } from './highlighted-text';
import controls from './controls.module.css';
import styles from './message-search-results.module.css';

/** Typing pauses this long before the search goes out: one request per word, not per key. */
const TYPING_PAUSE_MS = 300;

type Outcome =
  | { status: 'failed'; message: string }
  | ({ status: 'found'; isLoadingMore: boolean } & MessageSearchResults);

export function MessageSearchResults({
  query,
  conversationId,
  onOpen,
}: {
  query: string;
  /** Only this conversation's messages; each result then names its sender, not its chat. */
  conversationId?: string;
  onOpen: (result: MessageSearchResult) => void;
}) {
  const client = useChatClient();
  const meId = useChatState((state) => state.me.id);
  const conversations = useChatState((state) => state.conversations);
  const parsed = SearchQuery.safeParse(query);
  const text = parsed.success ? parsed.data : null;
  /** What the server answered, and for which search: another search shows "Searching…". */
  const [answer, setAnswer] = useState<{ key: string; outcome: Outcome } | null>(null);
  const key = `${conversationId ?? ''}\n${text ?? ''}`;

  useEffect(() => {
    if (text === null) return;
    let isCurrent = true;
    const timer = setTimeout(() => {
      void client.searchMessages(text, conversationId ? { conversationId } : {}).then((result) => {
        if (!isCurrent) return;
        setAnswer({
          key,
          outcome: result.ok
            ? { ...result, status: 'found', isLoadingMore: false }
            : { status: 'failed', message: result.message },
        });
      });
    }, TYPING_PAUSE_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [client, conversationId, key, text]);

  async function loadMore(found: Extract<Outcome, { status: 'found' }>) {
    const last = found.results.at(-1);
    if (!last || text === null) return;
    setAnswer({ key, outcome: { ...found, isLoadingMore: true } });
    const more = await client.searchMessages(text, {
      ...(conversationId ? { conversationId } : {}),
      beforeId: last.id,
    });
    setAnswer((current) =>
      current?.key !== key
        ? current
        : {
            key,
            outcome: more.ok
              ? {
                  ...found,
                  results: [...found.results, ...more.results],
                  hasMore: more.hasMore,
                  isLoadingMore: false,
                }
              : { status: 'failed', message: more.message },
          },
    );
  }

  if (!parsed.success) {
    const hint = query.trim() === '' ? null : (parsed.error.issues[0]?.message ?? null);
    return hint ? <p className={styles.note}>{hint}</p> : null;
  }
  const search = answer?.key === key ? answer.outcome : null;
  if (!search) {
    return (
      <p className={styles.note} role="status">
        Searching…
      </p>
    );
  }
  if (search.status === 'failed') {
    return (
      <p className={styles.note} role="alert">
        {search.message}
      </p>
    );
  }
  if (search.results.length === 0) {
    return (
      <p className={styles.note} role="status" data-testid="search-no-results">
        No messages found.
      </p>
    );
  }
  return (
    <>
      <ul className={styles.results} data-testid="search-results">
        {search.results.map((result) => {
          const sender = result.senderId === meId ? 'You' : result.senderUsername;
          const chat = conversations.find((item) => item.id === result.conversationId);
          return (
            <li key={result.id}>
              <button
                type="button"
                className={styles.result}
                onClick={() => onOpen(result)}
                data-testid="search-result"
              >
                <span className={styles.top}>
                  <span className={styles.name}>
                    {conversationId ? sender : (chat?.title ?? 'A chat')}
                  </span>
                  <time dateTime={result.createdAt}>{formatListTime(result.createdAt)}</time>
                </span>
                <span className={styles.snippet}>
                  {!conversationId && chat?.kind === 'group' && `${sender}: `}
                  {!conversationId && chat?.kind !== 'group' && result.senderId === meId && 'You: '}
                  {result.isCutBefore && '…'}
                  <HighlightedText text={result.snippet} terms={search.terms} />
                  {result.isCutAfter && '…'}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {search.hasMore && (
        <button
          type="button"
          className={`${controls.quietButton} ${styles.more}`}
          disabled={search.isLoadingMore}
          onClick={() => void loadMore(search)}
        >
          {search.isLoadingMore ? 'Loading…' : 'More results'}
        </button>
      )}
    </>
  );
}
