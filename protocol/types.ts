// Shapes that travel from the server to clients. Times are ISO 8601 strings (UTC).

export interface UserSummary {
  id: string;
  username: string;
  /** The name they chose to be shown by; absent when they chose none (show the username). */
  displayName?: string;
}

/** A person as their profile shows them; `displayName` and `about` are '' when not set. */
export interface Profile {
  id: string;
  username: string;
  displayName: string;
  about: string;
}

export type ConversationKind = 'direct' | 'group';
export type MemberRole = 'member' | 'admin';
export type MessageKind = 'text' | 'system';

export interface Message {
  id: number;
  conversationId: string;
  /** Position in the conversation: 1, 2, 3 ... with no gaps. Order by this, never by time. */
  seq: number;
  senderId: string;
  senderUsername: string;
  /** The sender's display name when the message was read from the server, if they have one. */
  senderDisplayName?: string;
  /** The id the sending device gave the message; a retry with the same id returns this message. */
  clientMsgId: string;
  kind: MessageKind;
  /** The text; empty for a message deleted for everyone (see `deleted`). */
  body: string;
  createdAt: string;
  /**
   * The conversation's change counter when this message last changed (edited, deleted, a
   * reaction added, changed or removed); absent (0) for a message never changed. A device
   * keeps the highest it has applied per conversation as its change cursor.
   */
  changeSeq?: number;
  /** The message this one answers, as it is now; absent when it answers none. */
  replyTo?: QuotedMessage;
  /** Sent with "Forward": a copy of a message from another chat. */
  isForwarded?: true;
  /** When the text was last edited; absent when never edited. */
  editedAt?: string;
  /** Deleted for everyone: the text is gone from the server too. */
  deleted?: MessageDeletion;
  /** One per person who reacted, oldest first; absent when nobody has. */
  reactions?: Reaction[];
  /**
   * You deleted it for yourself ("delete for me"): it keeps its place in the order (so no seq
   * is missing) but has no text, quote or reactions, and is not shown on any of your devices.
   */
  isHidden?: true;
}

/** What a reply shows of the message it quotes. */
export interface QuotedMessage {
  seq: number;
  senderId: string;
  senderUsername: string;
  /** The start of its text, at most PREVIEW_MAX_CODE_POINTS code points; empty when deleted. */
  body: string;
  /** The quoted message was deleted for everyone. */
  isDeleted?: true;
}

export interface MessageDeletion {
  at: string;
  /** Who deleted it: its sender, or a group admin. */
  by: UserSummary;
}

export interface Reaction {
  user: UserSummary;
  /** One emoji. */
  emoji: string;
}

/** A device's cursor in one conversation: it holds every message up to `afterSeq`. */
export interface ListCursor {
  conversationId: string;
  afterSeq: number;
}

/**
 * The first page past a device's cursor, carried by conversation:list: what message:history
 * with that `afterSeq` would answer.
 */
export interface CatchUpPage {
  conversationId: string;
  /** Oldest first, as the reader sees them now. */
  messages: Message[];
  /** More messages lie beyond the page: page on from the last one with message:history. */
  hasMore: boolean;
}

/**
 * A conversation's message changes beyond a device's change cursor (message:changes), or one
 * pushed as it happens (message:changed): each changed message in its current state, never a
 * diff, so applying one twice changes nothing.
 */
export interface MessageChanges {
  conversationId: string;
  /**
   * The current state of each changed message the viewer may see, as the viewer sees it
   * (isHidden for one they deleted for themselves), ordered by changeSeq.
   */
  messages: Message[];
  /**
   * The change cursor after this page: every change up to here is in it or is not the
   * viewer's to see (another member's "delete for me").
   */
  changeSeq: number;
  /** More changes lie beyond changeSeq: ask again from it. */
  hasMore: boolean;
  /**
   * On the last page (hasMore false) only: the viewer's unread count as it stood with every
   * change up to changeSeq, and the markers it counts between (read in the same snapshot).
   */
  unread?: UnreadPosition;
}

/** An unread count and the markers it counts between: the others' messages in (readSeq, lastSeq]. */
export interface UnreadPosition {
  unreadCount: number;
  lastSeq: number;
  readSeq: number;
}

export interface MessagePreview {
  seq: number;
  senderId: string;
  kind: MessageKind;
  /** The start of the body, at most PREVIEW_MAX_CODE_POINTS code points; empty when deleted. */
  body: string;
  createdAt: string;
  /** Deleted for everyone: show "This message was deleted". */
  isDeleted?: true;
  /** The text was edited. */
  isEdited?: true;
}

/** What an invite link shows before joining. */
export interface InvitePreview {
  conversationId: string;
  title: string;
  description?: string;
  memberCount: number;
  /** You are in the group already: the link just opens it. */
  isMember: boolean;
}

export interface ConversationSummary {
  id: string;
  kind: ConversationKind;
  /** The other person's username for a direct conversation; the group name for a group. */
  title: string;
  /** The other person in a direct conversation; null for groups. */
  peer: UserSummary | null;
  /** A group's description, when it has one. */
  description?: string;
  /** Only a group's admins may change its name and description (else every member may). */
  isInfoAdminsOnly?: true;
  /** Only a group's admins may send messages to it (everyone else reads). */
  isSendAdminsOnly?: true;
  /** Seq of the newest message (0 when there is none). */
  lastSeq: number;
  /**
   * The conversation's change counter: a device whose change cursor is below it fetches
   * message:changes. 0 when no message of it ever changed.
   */
  lastChangeSeq: number;
  /** The viewer has read everything up to and including this seq. */
  readSeq: number;
  /** A device of the viewer has every message up to and including this seq. */
  deliveredSeq: number;
  unreadCount: number;
  /**
   * Every member has this seq on a device: messages up to here show two ticks. (A sender's own
   * markers move to each message they send, so this is the minimum over all members.)
   */
  deliveredToAllSeq: number;
  /** Every member has read up to this seq: messages up to here show blue ticks. */
  readByAllSeq: number;
  memberCount: number;
  /** The viewer's role: group admins may add, remove, promote and demote members. */
  myRole: MemberRole;
  /** The viewer gets no push notifications for it. */
  isMuted: boolean;
  /** When the viewer pinned it to the top of their list; null when not pinned. */
  pinnedAt: string | null;
  /**
   * When the viewer archived it; null when it is not archived, or no longer shows as archived
   * (see isArchivedNow: a message came since and it is not muted).
   */
  archivedAt: string | null;
  lastMessage: MessagePreview | null;
  /** Time of the newest message, or of creation when there is none: the list is sorted by it. */
  lastActivityAt: string;
  /**
   * 'member', or how the viewer stopped being one. A former member keeps the conversation,
   * read-only, up to lastSeq (the system message that recorded their going); receipts and
   * members after it are not shown (deliveredToAllSeq, readByAllSeq and memberCount are 0).
   */
  membership: Membership;
}

export type Membership = 'member' | 'left' | 'removed';

/**
 * The viewer's own settings of one conversation: the ack of conversation:mute, :pin and
 * :archive, and conversation:updated to their other devices.
 */
export interface ConversationFlags {
  conversationId: string;
  isMuted: boolean;
  pinnedAt: string | null;
  archivedAt: string | null;
}

/** What "Clear chat" did: the messages up to `upToSeq` are hidden for the user. */
export interface ConversationCleared {
  conversationId: string;
  upToSeq: number;
  /** How many it hid now (those hidden before stay as they were). */
  count: number;
  /** The conversation's change counter after the clear. */
  changeSeq: number;
}

/**
 * Whether a conversation shows as archived: archived, and either muted or without a message
 * since (as in WhatsApp, a new message brings an unmuted chat back out of the archive). Worked
 * out wherever it is read (the server's list, the device on each message), so that sending a
 * message never writes to the members' rows.
 */
export function isArchivedNow(conversation: {
  archivedAt: string | null;
  isMuted: boolean;
  lastActivityAt: string;
}): boolean {
  // A summary stored on a device before archiving existed has no archivedAt at all.
  const archivedAt = conversation.archivedAt ?? null;
  if (archivedAt === null) return false;
  return conversation.isMuted || Date.parse(conversation.lastActivityAt) <= Date.parse(archivedAt);
}

/** conversation:removed: the viewer is no longer a member. */
export interface MembershipEnded {
  conversationId: string;
  membership: Exclude<Membership, 'member'>;
  /** The system message that recorded it: the last message of the conversation they see. */
  lastSeq: number;
}

/** Limits the client needs to know to refuse bad input early. The server enforces them anyway. */
export interface ClientLimits {
  maxMessageLength: number;
  /** How long after sending a person may edit their message, in minutes. */
  editWindowMinutes: number;
  /** How long after sending a person may delete their message for everyone, in hours. */
  deleteWindowHours: number;
}

export interface SessionReady {
  user: UserSummary;
  /** The user's own profile, as they set it. */
  profile: Profile;
  /** Whether the user may open /admin. */
  isAdmin: boolean;
  limits: ClientLimits;
  privacy: PrivacySettings;
}

/** Who sees the user's online state and last seen. */
export type PresenceVisibility = 'contacts' | 'nobody';

/**
 * The user's privacy settings. `presence: 'nobody'`: nobody sees their online state or last
 * seen, and they see nobody's. `readReceipts: false`: others never see their reads (blue
 * ticks), and they see nobody's.
 */
export interface PrivacySettings {
  presence: PresenceVisibility;
  readReceipts: boolean;
  /** Whether people search finds them by part of their name; false: by exact username only. */
  findableByName: boolean;
}

export interface GroupMember extends UserSummary {
  role: MemberRole;
}

/** Who has a message: every member but its sender, split by how far they got. */
export interface MessageReceipts {
  readBy: UserSummary[];
  /** Delivered to a device, not read yet. */
  deliveredTo: UserSummary[];
  /** Not on any of their devices yet. */
  pending: UserSummary[];
}

/** A message found by message:search. */
export interface MessageSearchResult {
  /** The message's id: later pages continue below the last result's (beforeId). */
  id: number;
  conversationId: string;
  /** Open the conversation at this message (message:history with aroundSeq). */
  seq: number;
  senderId: string;
  senderUsername: string;
  createdAt: string;
  /**
   * Up to SEARCH_SNIPPET_CODE_POINTS of the text around the first word found; `isCutBefore`
   * and `isCutAfter` say where text was left out.
   */
  snippet: string;
  isCutBefore: boolean;
  isCutAfter: boolean;
}

export interface MessageSearchResults {
  /** Newest first. */
  results: MessageSearchResult[];
  hasMore: boolean;
  /** The words searched for, as the server matched them (lower case): to highlight. */
  terms: string[];
}

export interface Presence {
  userId: string;
  isOnline: boolean;
  /** When the user was last connected; null while online or if never seen. */
  lastSeenAt: string | null;
}

export interface TypingUpdate {
  conversationId: string;
  user: UserSummary;
  isTyping: boolean;
  /** An opaque id of the typist's connection (a tab or device). */
  device: string;
  /**
   * Grows with every update of that device: an update with an order lower than one already
   * seen from the same device is older (it was overtaken on the way) and must be ignored.
   */
  order: number;
}

/** A member's markers moved; the conversation-wide markers are as they are after the move. */
export interface ReceiptUpdate {
  conversationId: string;
  userId: string;
  deliveredSeq: number;
  readSeq: number;
  deliveredToAllSeq: number;
  readByAllSeq: number;
}

/** What a push notification carries to the service worker (encrypted end to end to the browser). */
export interface PushPayload {
  conversationId: string;
  /** The sender's username, or the group's name. */
  title: string;
  /** The start of the message; in groups, prefixed with the sender. */
  body: string;
}
