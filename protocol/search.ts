// Where the words of a search are in a text: the server cuts a result's snippet around the
// first one, the browser highlights all of them. A word is found where a word of the text
// starts with it (the search matches prefixes), whatever its case.

import { SEARCH_SNIPPET_CODE_POINTS } from './limits';

export interface TextRange {
  start: number;
  end: number;
}

/** Not preceded by a letter, digit or combining mark: the start of a word. */
const WORD_START = '(?<![\\p{L}\\p{N}\\p{M}])';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The ranges (UTF-16 offsets, in order, not overlapping) where a term starts a word. */
export function findSearchTerms(text: string, terms: readonly string[]): TextRange[] {
  const usable = terms.filter((term) => term.length > 0);
  if (usable.length === 0) return [];
  // Longest first, so that "hello" wins over "he" at the same place.
  const alternatives = [...usable].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`${WORD_START}(?:${alternatives.join('|')})`, 'giu');
  return Array.from(text.matchAll(pattern), (match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export interface Snippet {
  text: string;
  isCutBefore: boolean;
  isCutAfter: boolean;
}

/**
 * At most SEARCH_SNIPPET_CODE_POINTS of `text`: from a little before the first term found (or
 * from the start), on whole code points, with line breaks as spaces (a result is one line).
 */
export function cutSnippet(text: string, terms: readonly string[]): Snippet {
  const first = findSearchTerms(text, terms)[0];
  const points = Array.from(text);
  const firstPoint = first ? Array.from(text.slice(0, first.start)).length : 0;
  // A quarter of the snippet before the word: enough to read it in its sentence.
  let from = Math.max(0, firstPoint - Math.floor(SEARCH_SNIPPET_CODE_POINTS / 4));
  const to = Math.min(points.length, from + SEARCH_SNIPPET_CODE_POINTS);
  from = Math.max(0, Math.min(from, to - SEARCH_SNIPPET_CODE_POINTS));
  return {
    text: points.slice(from, to).join('').replace(/\s+/g, ' '),
    isCutBefore: from > 0,
    isCutAfter: to < points.length,
  };
}
