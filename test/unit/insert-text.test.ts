// Putting an emoji in at the composer's caret (components/insert-text.ts).

import { describe, expect, it } from 'vitest';
import { insertAtSelection } from '../../components/insert-text';

describe('insertAtSelection', () => {
  it('puts the text at the caret and the caret after it', () => {
    expect(insertAtSelection('hello world', 5, 5, ' 👋')).toEqual({
      text: 'hello 👋 world',
      caret: 8,
    });
    expect(insertAtSelection('', 0, 0, '👍')).toEqual({ text: '👍', caret: 2 });
  });

  it('replaces a selection, whichever way it was made', () => {
    expect(insertAtSelection('I am sad', 5, 8, '😀')).toEqual({ text: 'I am 😀', caret: 7 });
    expect(insertAtSelection('I am sad', 8, 5, '😀')).toEqual({ text: 'I am 😀', caret: 7 });
  });

  it('clamps offsets beyond the text to its end', () => {
    expect(insertAtSelection('hi', 10, 12, '!')).toEqual({ text: 'hi!', caret: 3 });
  });
});
