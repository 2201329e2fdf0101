// Where the words of a search are in a text (the browser's highlight) and the snippet the
// server cuts around the first of them.

import { describe, expect, it } from 'vitest';
import { cutSnippet, findSearchTerms, SEARCH_SNIPPET_CODE_POINTS } from '../../protocol';

const found = (text: string, terms: string[]) =>
  findSearchTerms(text, terms).map((range) => text.slice(range.start, range.end));

describe('findSearchTerms', () => {
  it('finds terms at the start of words only, in any case, the longest first', () => {
    expect(found('Hello, hell and shell; HELLO', ['hel', 'hello'])).toEqual([
      'Hello',
      'hel',
      'HELLO',
    ]);
    expect(found('Привет, ПРИВЕТ', ['прив'])).toEqual(['Прив', 'ПРИВ']);
  });

  it('treats the characters of regular expressions as text', () => {
    expect(found('a.b a+b (x) [y]', ['a.b', 'a+b', '(x', '[y]'])).toEqual([
      'a.b',
      'a+b',
      '(x',
      '[y]',
    ]);
    expect(found('anything', ['.*'])).toEqual([]);
  });

  it('finds nothing without terms', () => {
    expect(findSearchTerms('text', [])).toEqual([]);
    expect(findSearchTerms('text', [''])).toEqual([]);
  });
});

describe('cutSnippet', () => {
  it('keeps a short text whole, with line breaks as spaces', () => {
    expect(cutSnippet('one\ntwo', ['two'])).toEqual({
      text: 'one two',
      isCutBefore: false,
      isCutAfter: false,
    });
  });

  it('cuts a long text around the first term, on whole code points', () => {
    const text = `${'😀'.repeat(500)} needle ${'😀'.repeat(500)}`;
    const snippet = cutSnippet(text, ['needle']);
    expect(snippet.text).toContain('needle');
    expect(Array.from(snippet.text)).toHaveLength(SEARCH_SNIPPET_CODE_POINTS);
    expect(snippet.text.isWellFormed()).toBe(true);
    expect(snippet).toMatchObject({ isCutBefore: true, isCutAfter: true });
  });

  it('starts at the beginning when the term is near it, and ends at the end when near that', () => {
    const start = cutSnippet(`needle ${'x '.repeat(200)}`, ['needle']);
    expect(start).toMatchObject({ isCutBefore: false, isCutAfter: true });
    expect(start.text.startsWith('needle')).toBe(true);
    const end = cutSnippet(`${'x '.repeat(200)}needle`, ['needle']);
    expect(end).toMatchObject({ isCutBefore: true, isCutAfter: false });
    expect(end.text.endsWith('needle')).toBe(true);
  });
});
