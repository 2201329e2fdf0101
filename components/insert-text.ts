// Text put in at the caret of a field, as typing it would: what the composer's emoji do.

/**
 * `text` with `insert` in place of its selection (`start` to `end`, UTF-16 offsets as a
 * textarea gives them; the caret when equal), and where the caret goes after it.
 * Offsets out of range (the text changed meanwhile) are clamped to it.
 */
export function insertAtSelection(
  text: string,
  start: number,
  end: number,
  insert: string,
): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, end, text.length));
  const to = Math.min(text.length, Math.max(start, end, from));
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length };
}
