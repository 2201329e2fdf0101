import { findSearchTerms } from '../protocol';

/** `text` with the words of a search marked, where a word of the text starts with one. */
export function HighlightedText({ text, terms }: { text: string; terms: readonly string[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const range of findSearchTerms(text, terms)) {
    if (range.start > at) parts.push(text.slice(at, range.start));
    parts.push(<mark key={range.start}>{text.slice(range.start, range.end)}</mark>);
    at = range.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
