import { describe, expect, it } from 'vitest';
import {
  checkMessageText,
  GroupTitle,
  hasVisibleText,
  countCodePoints,
  MESSAGE_MAX_CODE_POINTS,
  SOCKET_MAX_FRAME_BYTES,
  truncateCodePoints,
} from '../../protocol';

describe('countCodePoints', () => {
  it('counts what people count as characters', () => {
    expect(countCodePoints('')).toBe(0);
    expect(countCodePoints('abc')).toBe(3);
    expect(countCodePoints('😀😀')).toBe(2);
    expect(countCodePoints('é')).toBe(1);
    expect(countCodePoints('\ud83d')).toBe(1); // a lone surrogate is one (broken) unit
    expect(countCodePoints('a😀b'.repeat(1000))).toBe(3000);
  });
});

describe('truncateCodePoints', () => {
  it('never splits a surrogate pair', () => {
    expect(truncateCodePoints('😀😀😀', 2)).toBe('😀😀');
    expect(truncateCodePoints('ab😀', 3)).toBe('ab😀');
    expect(truncateCodePoints('ab😀c', 3)).toBe('ab😀');
    expect(truncateCodePoints('short', 10)).toBe('short');
  });
});

describe('checkMessageText', () => {
  it('accepts ordinary text and text exactly at the limit', () => {
    expect(checkMessageText('hello\nworld', 11)).toBeNull();
    expect(checkMessageText('😀'.repeat(10), 10)).toBeNull();
  });

  it('names the problem of text it refuses', () => {
    expect(checkMessageText('😀'.repeat(11), 10)).toMatchObject({ code: 'MESSAGE_TOO_LONG' });
    expect(checkMessageText('   ', 10)).toMatchObject({ code: 'MESSAGE_EMPTY' });
    expect(checkMessageText('a\u0000', 10)).toMatchObject({ code: 'MESSAGE_INVALID' });
    expect(checkMessageText('a\udc00', 10)).toMatchObject({ code: 'MESSAGE_INVALID' });
  });

  it('treats text made only of invisible characters as empty, like whitespace', () => {
    const invisible = [
      '\u200b', // zero-width space
      '\u2060', // word joiner
      '\u3164', // Hangul filler
      '\u2800', // braille pattern blank
      '\u0301', // a lone combining mark
      '\ufeff\u200d\u200c', // BOM, zero-width joiner and non-joiner
      '\u115f\u1160\uffa0', // the other Hangul fillers
      '\ufe0f\u034f\u00ad', // variation selector, grapheme joiner, soft hyphen
      '\u202e\u2066\u200f', // direction controls
      ' \u200b\n\u3164\t',
    ];
    for (const text of invisible) {
      expect(checkMessageText(text, 100), JSON.stringify(text)).toMatchObject({
        code: 'MESSAGE_EMPTY',
      });
    }
  });

  it('keeps text whose invisible characters join visible ones', () => {
    expect(checkMessageText('e\u0301', 10)).toBeNull(); // é as e + combining acute
    expect(checkMessageText('\u2764\ufe0f', 10)).toBeNull(); // ❤️ with its variation selector
    expect(checkMessageText('👩\u200d💻', 10)).toBeNull(); // a joined emoji
    expect(checkMessageText('\u200bhi', 10)).toBeNull();
  });
});

describe('hasVisibleText', () => {
  it('is false for whitespace and invisible characters alone, true for anything visible', () => {
    expect(hasVisibleText('')).toBe(false);
    expect(hasVisibleText(' \u200b\u3164')).toBe(false);
    expect(hasVisibleText('a')).toBe(true);
    expect(hasVisibleText('😀')).toBe(true);
  });
});

describe('GroupTitle', () => {
  it('refuses a group name of invisible characters alone, with the blank-name message', () => {
    const parsed = GroupTitle.safeParse('\u200b\u3164\u2800');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('Give the group a name.');
    expect(GroupTitle.safeParse('Trip \u200b').success).toBe(true);
  });
});

describe('the Socket.IO frame limit', () => {
  it('holds the largest legal message frame, whatever characters it is made of', () => {
    // JSON escapes a control character as \u00XX: 6 bytes for one code point, the worst case.
    const worst = '\u0001'.repeat(MESSAGE_MAX_CODE_POINTS);
    const emoji = '😀'.repeat(MESSAGE_MAX_CODE_POINTS);
    for (const body of [worst, emoji]) {
      const frame = `42["message:send",${JSON.stringify({
        conversationId: '00000000-0000-4000-8000-000000000000',
        clientMsgId: '00000000-0000-4000-8000-000000000000',
        body,
      })}]`;
      expect(Buffer.byteLength(frame)).toBeLessThan(SOCKET_MAX_FRAME_BYTES);
    }
  });
});
