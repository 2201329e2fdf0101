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
