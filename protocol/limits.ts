// Limits that both the browser and the server must agree on.

/** Hard ceiling on message length, in Unicode code points. Admins may lower it, never raise it. */
export const MESSAGE_MAX_CODE_POINTS = 100_000;

/**
 * Socket.IO silently drops a connection whose frame exceeds maxHttpBufferSize, so the buffer must
 * hold the largest legal `message:send` frame with room to spare: a message is at most 100,000 code
 * points and JSON needs at most 6 bytes for one (a control character escaped as \u001f), which is
 * 600 KB. 1 MiB leaves room for an over-long message to reach the server and get a clear error ack.
 */
export const SOCKET_MAX_FRAME_BYTES = 1_048_576;

/**
 * Client events one socket may have unanswered at once. The server refuses more with
 * RATE_LIMITED before it parses them, so that a flood cannot queue work on the node without
 * bound; the browser client and the benchmark's clients queue their own requests beyond it
 * (hooks/client/transport.ts), so they never meet the refusal.
 */
export const EVENTS_IN_FLIGHT_PER_SOCKET = 4;

/** Largest accepted HTTP JSON body (sign-up, sign-in). */
export const HTTP_MAX_BODY_BYTES = 16_384;

export const HISTORY_PAGE_DEFAULT = 50;
/** Changed messages in one message:changes page. */
export const CHANGES_PAGE_DEFAULT = 100;
export const CHANGES_PAGE_MAX = 200;
/** Messages one message:forward copies, and conversations it copies them to. */
export const FORWARD_MESSAGES_MAX = 20;
export const FORWARD_TARGETS_MAX = 10;
/** Longest reaction, in UTF-16 code units: one emoji, however many code points it is made of. */
export const REACTION_MAX_LENGTH = 32;
export const HISTORY_PAGE_MAX = 100;
/**
 * conversation:list's catch-up: the cursors a device may send with it, and what the answer
 * carries at most past them, in pages of the conversations most recently active first. A
 * device pages the rest itself with message:history.
 */
export const LIST_CURSORS_MAX = 500;
export const LIST_PAGES_MAX = 20;
export const LIST_PAGE_MESSAGES_MAX = 200;

/** A message search: the longest text searched for, and the fewest letters or digits in it. */
export const SEARCH_QUERY_MAX_LENGTH = 200;
export const SEARCH_QUERY_MIN_CHARACTERS = 2;
/** Words in one search (each must be found in a message for it to match). */
export const SEARCH_WORDS_MAX = 10;
export const SEARCH_PAGE_DEFAULT = 20;
export const SEARCH_PAGE_MAX = 50;
/**
 * The most messages one search looks through. Beyond it the search is refused as too broad
 * (SEARCH_TOO_BROAD), so that its work stays bounded whatever the words: every match is read
 * to find the newest, and one word can be in millions of messages.
 */
export const SEARCH_MATCHES_MAX = 1_000;
/** A search result shows this many code points of the message around the first word found. */
export const SEARCH_SNIPPET_CODE_POINTS = 160;

/** Length of the last-message preview in the conversation list, in code points. */
export const PREVIEW_MAX_CODE_POINTS = 120;

export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const PASSWORD_MIN_LENGTH = 8;
/** argon2 accepts long inputs, but hashing megabytes on request is a denial-of-service lever. */
export const PASSWORD_MAX_LENGTH = 256;

/** The composer shows a character counter once a message is this close to the limit. */
export const COMPOSER_COUNTER_THRESHOLD = 0.9;

export const GROUP_TITLE_MAX_LENGTH = 64;
/** A group's description, in code points. */
export const GROUP_DESCRIPTION_MAX_LENGTH = 512;
/** A person's display name and "about" line, in code points. */
export const DISPLAY_NAME_MAX_LENGTH = 64;
export const ABOUT_MAX_LENGTH = 140;
/** People one people:search answers with at most. */
export const PEOPLE_SEARCH_MAX = 20;
/** Hard ceiling on the group size setting. */
export const GROUP_SIZE_MAX = 5_000;
export const DEFAULT_GROUP_SIZE = 256;
/** Usernames in one create or add request. */
export const GROUP_ADD_MAX = 100;
/** Users in one presence query. */
export const PRESENCE_QUERY_MAX = 500;
/**
 * The largest group whose members are told of each other's coming and going as it happens
 * (presence:updated). Members of a bigger group see each other's presence when they ask
 * (presence:query, as the group's info does when it opens): told live, everyone coming online
 * together would cost such a group the square of its size in messages.
 */
export const PRESENCE_PUSH_GROUP_MAX = 256;
/** Chats one person may pin to the top of their list at once, as in WhatsApp. */
export const MAX_PINNED_CONVERSATIONS = 3;
/** The note a person may add to a report, in code points. */
export const REPORT_NOTE_MAX_LENGTH = 500;
/** Reports in one page of the admins' list (20 when not asked). */
export const REPORTS_PAGE_MAX = 50;
export const REPORTS_PAGE_DEFAULT = 20;
/** The messages shown on each side of a reported one, so that admins read it in context. */
export const REPORT_CONTEXT_MESSAGES = 5;
/** A typing indicator that is not refreshed disappears after this long. */
export const TYPING_EXPIRES_MS = 6_000;
/** The composer repeats "typing" at most this often while the person keeps typing. */
export const TYPING_THROTTLE_MS = 3_000;

/**
 * How long a device waits after receiving messages before it reports them delivered (two
 * ticks), collecting everything that arrives meanwhile into one report. A 1:1 chat or a small
 * group reports after 100 ms; a big group waits 100 ms per hundred members, up to 2 s, so that
 * a message to 1,000 members brings the server at most 1,000 reports a second, not one per
 * member per message.
 */
export function deliveryReportDelayMs(memberCount: number): number {
  return Math.min(2_000, 100 * Math.max(1, Math.ceil(memberCount / 100)));
}
