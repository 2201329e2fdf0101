// How the list is arranged, as in WhatsApp: pinned chats on top (the last pinned first), then
// the others by their newest activity; archived chats only in the Archived view. Pure
// functions, so that the rules can be unit-tested.

import { isArchivedNow, type ConversationFlags, type ConversationSummary } from '../protocol';

/** Pinned to the top of the main list (never while archived). */
export function isPinned(summary: ConversationSummary): boolean {
  // A summary stored on a device before pinning existed has no pinnedAt at all.
  return (summary.pinnedAt ?? null) !== null && !isArchivedNow(summary);
}

/**
 * The main list: archived chats left out, pinned ones first (the most recently pinned on
 * top), then the rest in `list`'s order (newest activity first). Returns `list` itself when
 * nothing is pinned or archived, so that a selector using it keeps its result.
 */
export function arrangeMainList(list: ConversationSummary[]): ConversationSummary[] {
  if (!list.some((item) => isPinned(item) || isArchivedNow(item))) return list;
  const pinned = list
    .filter(isPinned)
    .sort((a, b) => (b.pinnedAt ?? '').localeCompare(a.pinnedAt ?? ''));
  const rest = list.filter((item) => !isPinned(item) && !isArchivedNow(item));
  return [...pinned, ...rest];
}

/**
 * The Archived view: newest activity first, as `list` is. A new message in an archived chat
 * that is not muted brings it back, with no word from the server: isArchivedNow compares the
 * archiving with the chat's last activity.
 */
export function listArchived(list: ConversationSummary[]): ConversationSummary[] {
  return list.filter((item) => isArchivedNow(item));
}

/**
 * The summary with the viewer's own settings as the server answered (an ack, or
 * conversation:updated from another of their devices). Returns `summary` itself when nothing
 * changed.
 */
export function applyFlags(
  summary: ConversationSummary,
  flags: ConversationFlags,
): ConversationSummary {
  if (
    summary.isMuted === flags.isMuted &&
    summary.pinnedAt === flags.pinnedAt &&
    summary.archivedAt === flags.archivedAt
  ) {
    return summary;
  }
  return {
    ...summary,
    isMuted: flags.isMuted,
    pinnedAt: flags.pinnedAt,
    archivedAt: flags.archivedAt,
  };
}
