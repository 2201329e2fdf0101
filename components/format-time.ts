// Times in the viewer's own locale and time zone.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

export function formatFull(iso: string): string {
  return fullFormat.format(new Date(iso));
}

/** For the conversation list: the time today, the date otherwise. */
export function formatListTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return date.toDateString() === now.toDateString()
    ? timeFormat.format(date)
    : dateFormat.format(date);
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "last seen today at 10:42", "last seen yesterday at 21:05", "last seen 12 Nov at 9:15". */
export function formatLastSeen(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  const day =
    date.toDateString() === now.toDateString()
      ? 'today'
      : date.toDateString() === yesterday.toDateString()
        ? 'yesterday'
        : dayFormat.format(date);
  return `last seen ${day} at ${timeFormat.format(date)}`;
}

const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const longDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' });
const yearDateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

/** The local day of a time, for telling whether two messages were sent on the same day. */
export function localDay(iso: string): string {
  return new Date(iso).toDateString();
}

/**
 * A day separator of the message list, as WhatsApp writes it: "Today", "Yesterday", the
 * weekday within the last week, else the date (with its year when not this year).
 */
export function formatDay(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const startOfDay = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  const daysAgo = Math.round((startOfToday.getTime() - startOfDay.getTime()) / 86_400_000);
  if (daysAgo === 0) return 'Today';
  if (daysAgo === 1) return 'Yesterday';
  if (daysAgo > 1 && daysAgo < 7) return weekdayFormat.format(date);
  return date.getFullYear() === now.getFullYear()
    ? longDateFormat.format(date)
    : yearDateFormat.format(date);
}
