'use client';
// A message's text: links made clickable (http, https and mailto only, opened in a new tab
// without a referrer, never previewed), and a long text cut after a few screens with "Read
// more". Rendered as text, never as HTML; CSS keeps its line breaks.

import Linkify from 'linkify-react';
import type { Opts } from 'linkifyjs';
import { useMemo, useState } from 'react';
import styles from './message-bubble.module.css';

/** About three phone screens of text: longer messages show this much until "Read more". */
export const COLLAPSED_CODE_POINTS = 3_000;

/** A scheme written out ("ftp:", "javascript:") that is not one of ours stays plain text. */
const FOREIGN_SCHEME = /^(?!https?:|mailto:)[a-z][a-z0-9+.-]*:/i;

const LINK_OPTIONS: Opts = {
  defaultProtocol: 'https',
  target: '_blank',
  rel: 'noopener noreferrer',
  validate: { url: (value: string) => !FOREIGN_SCHEME.test(value) },
};

/** The start of `text`, at most `limit` code points, or null when it is no longer. */
function cutText(text: string, limit: number): string | null {
  // A code point is at most two UTF-16 units: shorter strings are never cut.
  if (text.length <= limit) return null;
  const points = Array.from(text);
  return points.length <= limit ? null : points.slice(0, limit).join('');
}

export function MessageText({ text }: { text: string }) {
  const [isExpanded, setIsExpanded] = useState(false);
  const cut = useMemo(() => cutText(text, COLLAPSED_CODE_POINTS), [text]);
  const shown = cut !== null && !isExpanded ? `${cut}…` : text;
  return (
    <>
      <p className={styles.body} data-testid="message-body">
        <Linkify options={LINK_OPTIONS}>{shown}</Linkify>
      </p>
      {cut !== null && !isExpanded && (
        <button
          type="button"
          className={styles.readMore}
          onClick={() => setIsExpanded(true)}
          data-testid="message-read-more"
        >
          Read more
        </button>
      )}
    </>
  );
}
