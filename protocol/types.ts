// Shapes that travel from the server to clients. Times are ISO 8601 strings (UTC).

export interface UserSummary {
  id: string;
  username: string;
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
  /** The id the sending device gave the message; a retry with the same id returns this message. */
  clientMsgId: string;
  kind: MessageKind;
  body: string;
  createdAt: string;
}

export interface MessagePreview {
  seq: number;
  senderId: string;
  kind: MessageKind;
  /** The start of the body, at most PREVIEW_MAX_CODE_POINTS code points. */
  body: string;
  createdAt: string;
}

export interface ConversationSummary {
  id: string;
  kind: ConversationKind;
  /** The other person's username for a direct conversation; the group name for a group. */
  title: string;
  /** The other person in a direct conversation; null for groups. */
  peer: UserSummary | null;
  /** Seq of the newest message (0 when there is none). */
  lastSeq: number;
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
}

export interface SessionReady {
  user: UserSummary;
  /** Whether the user may open /admin. */
  isAdmin: boolean;
  limits: ClientLimits;
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
