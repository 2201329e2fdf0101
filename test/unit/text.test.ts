import { describe, expect, it } from 'vitest';
import {
  checkMessageText,
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
