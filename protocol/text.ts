// Message text rules, shared by the composer (to warn early) and the server (to decide).

import { ErrorCode } from './errors';

/** Number of Unicode code points: what a person counts as characters, emoji included. */
export function countCodePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** The first `max` code points of `text`, never splitting a surrogate pair. */
export function truncateCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let units = 0;
  let points = 0;
  while (units < text.length && points < max) {
    const unit = text.charCodeAt(units);
    units += unit >= 0xd800 && unit <= 0xdbff && units + 1 < text.length ? 2 : 1;
    points++;
  }
  return text.slice(0, units);
}

/**
 * Characters that show nothing on their own: white space, format characters (zero-width space,
 * joiners, direction controls, soft hyphen, BOM…), combining marks and variation selectors with
 * nothing to attach to, and the letters and symbols that render blank (the Hangul fillers, the
 * blank braille pattern).
 */
const VISIBLE = /[^\s\p{Cf}\p{M}\u115f\u1160\u3164\uffa0\u2800]/u;

/** Whether `text` shows anything: text of invisible characters alone counts as empty. */
export function hasVisibleText(text: string): boolean {
  return VISIBLE.test(text);
}

export interface TextProblem {
  code:
    | typeof ErrorCode.MessageEmpty
    | typeof ErrorCode.MessageTooLong
    | typeof ErrorCode.MessageInvalid;
  message: string;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** Why `text` cannot be sent as a message, or null if it can. */
export function checkMessageText(text: string, maxCodePoints: number): TextProblem | null {
  if (!text.isWellFormed()) {
    return {
      code: ErrorCode.MessageInvalid,
      message: 'The message contains broken characters (an unpaired UTF-16 surrogate).',
    };
  }
  if (text.includes('\u0000')) {
    return {
      code: ErrorCode.MessageInvalid,
      message: 'The message contains a NUL character, which is not allowed.',
    };
  }
  if (!hasVisibleText(text)) {
    return { code: ErrorCode.MessageEmpty, message: 'The message is empty.' };
  }
  const length = countCodePoints(text);
  if (length > maxCodePoints) {
    return {
      code: ErrorCode.MessageTooLong,
      message: `The message is too long: ${numberFormat.format(length)} characters, the limit is ${numberFormat.format(maxCodePoints)}.`,
    };
  }
  return null;
}

/** The name every deleted account shows, wherever its past messages appear; no one else's. */
export const DELETED_ACCOUNT_NAME = 'Deleted account';
