// The pure rules for changes to messages (edits, deletions, reactions, hides): how a changed
// message's current state goes into a thread and into the conversation list, and how the
// change cursor moves. Each change carries the whole state of the message, never a diff, so
// applying one twice, or an older one after a newer, changes nothing.

import type { ConversationSummary, Message } from '../protocol';
import { addForward, findBySeq, isGoneForViewer, previewOf, type Thread } from './chat-state';

/**
 * The thread after changed messages. Those older than the thread's oldest held message are
 * not in memory (the device store takes them); the others replace their held copy when newer.
 * `changeSeq`: where the change cursor moves, or null when these changes lie beyond a gap
 * (shown now, but the cursor waits for the gap to be fetched).
 */
export function applyChangesToThread(
  thread: Thread,
  messages: Message[],
  changeSeq: number | null,
): Thread {
  const held = messages.filter((message) => message.seq >= thread.oldestSeq);
  const merged = addForward(thread, held);
  if (changeSeq === null || changeSeq <= merged.changeSeq) return merged;
  return { ...merged, changeSeq };
}

/**
 * Where a device's change cursor stands against a pushed change: 'apply' when the push follows
 * on directly, 'ignore' when the device has it already, 'gap' when some were missed.
 */
export function placeOfChange(
  cursor: number,
  push: { changeSeq: number; previousChangeSeq: number },
): 'apply' | 'ignore' | 'gap' {
  if (cursor >= push.changeSeq) return 'ignore';
  return cursor === push.previousChangeSeq ? 'apply' : 'gap';
}

/**
 * The summary after changed messages: the preview follows an edit or deletion of the last
 * message, and the change counter only moves forward. `thread` is the thread after the
 * changes (undefined when not held). The unread count is applyChangesToUnread's.
 */
export function applyChangesToSummary(
  summary: ConversationSummary,
  messages: Message[],
  changeSeq: number,
  thread: Thread | undefined,
): ConversationSummary {
  let next = summary;
  if (changeSeq > (summary.lastChangeSeq ?? 0)) next = { ...next, lastChangeSeq: changeSeq };
  const last = summary.lastMessage;
  const changedLast = last ? messages.find((message) => message.seq === last.seq) : undefined;
  if (changedLast) {
    const shown = changedLast.isHidden ? newestShown(thread, changedLast.seq) : changedLast;
    if (shown) {
      const preview = previewOf(shown);
      if (!isSamePreview(preview, last)) next = { ...next, lastMessage: preview };
    } else if (thread) {
      // Every message held was hidden ("Clear chat"): nothing of theirs to show.
      next = { ...next, lastMessage: null };
    }
  }
  return next;
}

/**
 * The unread count after changed messages, from the count held (the server's, moved by what
 * the device saw since): one less for each of the others' unread messages that a change made
 * deleted or hidden while the device held it shown. `before`: the thread before the changes.
 * Changes it cannot count (see isUnreadUnknownAfter) leave it as it is.
 */
export function applyChangesToUnread(
  summary: ConversationSummary,
  before: Thread | undefined,
  messages: Message[],
  meId: string,
): ConversationSummary {
  const gone = new Set<number>();
  for (const message of messages) {
    if (unreadEffectOf(summary, before, message, meId) === 'lowers') gone.add(message.seq);
  }
  if (gone.size === 0) return summary;
  return { ...summary, unreadCount: Math.max(0, summary.unreadCount - gone.size) };
}

/**
 * Whether a change makes one of the others' unread messages deleted or hidden that the device
 * does not hold: it cannot know whether the count held still counts it (the server's count
 * may have left it out already), so it takes the server's count instead.
 */
export function isUnreadUnknownAfter(
  summary: ConversationSummary,
  before: Thread | undefined,
  messages: Message[],
  meId: string,
): boolean {
  return messages.some((message) => unreadEffectOf(summary, before, message, meId) === 'unknown');
}

function unreadEffectOf(
  summary: ConversationSummary,
  before: Thread | undefined,
  message: Message,
  meId: string,
): 'none' | 'lowers' | 'unknown' {
  const isUnread =
    message.seq > summary.readSeq && message.seq <= summary.lastSeq && message.senderId !== meId;
  if (!isUnread || !isGoneForViewer(message)) return 'none';
  const held = before && findBySeq(before.messages, message.seq);
  if (!held) return 'unknown';
  return isGoneForViewer(held) ? 'none' : 'lowers';
}

/** The newest message of the thread the viewer still sees, at or below `seq`. */
function newestShown(thread: Thread | undefined, seq: number): Message | undefined {
  if (!thread) return undefined;
  for (let index = thread.messages.length - 1; index >= 0; index--) {
    const message = thread.messages[index]!;
    if (message.seq <= seq && !message.isHidden) return message;
  }
  return undefined;
}

function isSamePreview(a: ConversationSummary['lastMessage'], b: typeof a): boolean {
  if (!a || !b) return a === b;
  return (
    a.seq === b.seq &&
    a.body === b.body &&
    a.isDeleted === b.isDeleted &&
    a.isEdited === b.isEdited &&
    a.kind === b.kind
  );
}

/** The message a reply quotes, as this device holds it now (so its edits and deletion show). */
export function heldOriginal(thread: Thread | undefined, seq: number): Message | undefined {
  const held = thread ? findBySeq(thread.messages, seq) : undefined;
  return held && !held.isHidden ? held : undefined;
}
