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
 * message, the change counter only moves forward, and for a held thread the unread count is
 * counted again. `thread` is the thread after the changes (undefined when not held).
 */
export function applyChangesToSummary(
  summary: ConversationSummary,
  messages: Message[],
  changeSeq: number,
  thread: Thread | undefined,
  meId: string,
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
    }
  }
  return thread ? recountUnread(next, thread, meId) : next;
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

/**
 * The unread count of a held conversation: the seqs above the read marker, less the held ones
 * that were deleted for everyone or hidden by the viewer (never the viewer's own). Messages
 * not held yet count as unread until they arrive, as the server's count does not know better
 * either until they are fetched.
 */
export function recountUnread(
  summary: ConversationSummary,
  thread: Thread,
  meId: string,
): ConversationSummary {
  let gone = 0;
  for (let index = thread.messages.length - 1; index >= 0; index--) {
    const message = thread.messages[index]!;
    if (message.seq <= summary.readSeq) break;
    if (message.seq <= summary.lastSeq && message.senderId !== meId && isGoneForViewer(message))
      gone += 1;
  }
  const unreadCount = Math.max(0, summary.lastSeq - summary.readSeq - gone);
  return unreadCount === summary.unreadCount ? summary : { ...summary, unreadCount };
}

/** The message a reply quotes, as this device holds it now (so its edits and deletion show). */
export function heldOriginal(thread: Thread | undefined, seq: number): Message | undefined {
  const held = thread ? findBySeq(thread.messages, seq) : undefined;
  return held && !held.isHidden ? held : undefined;
}
