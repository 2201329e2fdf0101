'use client';
// Searching one conversation's messages, in a panel beside it (over it on phones): a result
// brings its message into view, with the history around it.

import { useState } from 'react';
import { MessageSearchResults } from './message-search-results';
import { SearchBox } from './search-box';
import { useSwipeBack } from './use-swipe-back';
import controls from './controls.module.css';
import styles from './chat-search-panel.module.css';

/** Below this width the panel covers the conversation (app/tokens.css). */
const PHONE_QUERY = '(max-width: 767px)';

export function ChatSearchPanel({
  conversationId,
  onOpen,
  onClose,
}: {
  conversationId: string;
  onOpen: (seq: number) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  // On a phone the panel covers the chat: a swipe from the left edge closes it.
  const swipeBackRef = useSwipeBack(onClose);
  return (
    <aside
      ref={swipeBackRef}
      className={styles.panel}
      aria-label="Search in chat"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <header className={styles.header}>
        <h2>Search messages</h2>
        <button type="button" className={controls.quietButton} onClick={onClose}>
          Close
        </button>
      </header>
      <SearchBox
        value={query}
        onChange={setQuery}
        label="Search this chat's messages"
        placeholder="Search…"
        autoFocus
        testId="chat-search"
      />
      <div className={styles.results}>
        <MessageSearchResults
          query={query}
          conversationId={conversationId}
          onOpen={(result) => {
            onOpen(result.seq);
            // On a phone the message is under the panel: show it.
            if (window.matchMedia(PHONE_QUERY).matches) onClose();
          }}
        />
      </div>
    </aside>
  );
}
