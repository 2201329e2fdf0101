// The day separators of the message list: "Today", "Yesterday", a weekday, a date.

import { describe, expect, it } from 'vitest';
import { formatDay, localDay } from '../../components/format-time';

/** Noon on a Thursday, local time. */
const now = new Date(2026, 10, 12, 12, 0);
const at = (days: number, hour = 9) => new Date(2026, 10, 12 - days, hour, 30).toISOString();

describe('formatDay', () => {
  it('names today, yesterday and the days of the last week', () => {
    expect(formatDay(at(0, 0), now)).toBe('Today');
    expect(formatDay(at(1, 23), now)).toBe('Yesterday');
    const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
    expect(formatDay(at(2), now)).toBe(weekday.format(new Date(at(2))));
    expect(formatDay(at(6), now)).toBe(weekday.format(new Date(at(6))));
  });

  it('gives the date beyond a week, with the year when it is not this one', () => {
    const sameYear = formatDay(at(7), now);
    expect(sameYear).toBe(
      new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' }).format(new Date(at(7))),
    );
    const lastYear = new Date(2025, 11, 31, 10).toISOString();
    expect(formatDay(lastYear, now)).toContain('2025');
  });

  it('tells messages of one local day apart from the next', () => {
    expect(localDay(at(0, 0))).toBe(localDay(at(0, 23)));
    expect(localDay(at(1, 23))).not.toBe(localDay(at(0, 0)));
  });
});
