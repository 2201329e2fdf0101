// The Socket.IO contract: event names, payloads and acks. Commands are imperative
// (`message:send`), facts are past tense (`message:created`).

import type { z } from 'zod';
import type { Ack } from './errors';
import {
  BlockListRequest,
  BlockRequest,
  ConversationArchiveRequest,
  ConversationListRequest,
  ConversationMarkDeliveredRequest,
  ConversationMarkReadRequest,
  ConversationMuteRequest,
  ConversationPinRequest,
  ConversationRequest,
  ConversationStartRequest,
  GroupAddMembersRequest,
  GroupCreateRequest,
  GroupInviteCreateRequest,
  GroupMemberRequest,
  GroupSetRoleRequest,
  GroupUpdateRequest,
  InviteCodeRequest,
  MessageChangesRequest,
  MessageDeleteRequest,
  MessageEditRequest,
  MessageForwardRequest,
  MessageHistoryRequest,
  MessageReactRequest,
  MessageReceiptsRequest,
  MessageSearchRequest,
  MessageSendRequest,
  PeopleGetRequest,
  PeopleSearchRequest,
  PresenceQueryRequest,
  ProfileUpdateRequest,
  PrivacyUpdateRequest,
  ReportCreateRequest,
} from './schemas';
import type {
  CatchUpPage,
  ClientLimits,
  ConversationCleared,
  ConversationFlags,
  ConversationSummary,
  GroupMember,
  InvitePreview,
  MembershipEnded,
  Message,
  MessageChanges,
  MessageReceipts,
  MessageSearchResults,
  Presence,
  PrivacySettings,
  Profile,
  ReceiptUpdate,
  SessionReady,
  TypingUpdate,
} from './types';

/** Events a client sends; each takes one payload object and an ack callback. */
export const ClientEvent = {
  ConversationList: 'conversation:list',
  ConversationGet: 'conversation:get',
  ConversationStart: 'conversation:start',
  ConversationMarkRead: 'conversation:mark-read',
  ConversationMarkDelivered: 'conversation:mark-delivered',
  ConversationMute: 'conversation:mute',
  ConversationPin: 'conversation:pin',
  ConversationArchive: 'conversation:archive',
  ConversationClear: 'conversation:clear',
  MessageSend: 'message:send',
  MessageHistory: 'message:history',
  MessageReceipts: 'message:receipts',
  MessageEdit: 'message:edit',
  MessageDelete: 'message:delete',
  MessageReact: 'message:react',
  MessageForward: 'message:forward',
  MessageChanges: 'message:changes',
  MessageSearch: 'message:search',
  GroupCreate: 'group:create',
  GroupAddMembers: 'group:add-members',
  GroupRemoveMember: 'group:remove-member',
  GroupLeave: 'group:leave',
  GroupSetRole: 'group:set-role',
  GroupUpdate: 'group:update',
  GroupMembers: 'group:members',
  GroupInviteLink: 'group:invite-link',
  GroupInviteCreate: 'group:invite-create',
  GroupInviteRevoke: 'group:invite-revoke',
  GroupInvitePreview: 'group:invite-preview',
  GroupJoin: 'group:join',
  PresenceQuery: 'presence:query',
  PrivacyUpdate: 'privacy:update',
  ProfileUpdate: 'profile:update',
  PeopleSearch: 'people:search',
  PeopleGet: 'people:get',
  BlockAdd: 'block:add',
  BlockRemove: 'block:remove',
  BlockList: 'block:list',
  ReportCreate: 'report:create',
  TypingStart: 'typing:start',
  TypingStop: 'typing:stop',
} as const;

/** Events the server pushes. */
export const ServerEvent = {
  SessionReady: 'session:ready',
  MessageCreated: 'message:created',
  /**
   * Messages of a conversation changed (edited, deleted, reacted to, or hidden by you for
   * yourself): their current state and the new change cursor. A hint: a device whose cursor is
   * not exactly the one before (a gap) fetches message:changes instead.
   */
  MessageChanged: 'message:changed',
  ReceiptUpdated: 'receipt:updated',
  /**
   * You are no longer a member (removed, or you left): the conversation stays yours to read, up
   * to the message that recorded it, and no later message reaches you (changes to the messages
   * you keep still do: an edit or a deletion for everyone, through message:changed).
   */
  ConversationRemoved: 'conversation:removed',
  /**
   * The viewer's own settings of one conversation changed on another of their devices (muted,
   * pinned, archived): apply them to its summary.
   */
  ConversationUpdated: 'conversation:updated',
  PresenceUpdated: 'presence:updated',
  TypingUpdated: 'typing:updated',
  SettingsUpdated: 'settings:updated',
  /** Someone you share a conversation with (or you, on another device) changed their profile. */
  UserUpdated: 'user:updated',
  /** Pushes may have been lost (the server's Redis was down): sync from your cursors now. */
  SyncRequired: 'sync:required',
} as const;

/**
 * Events a client may also send without an ack, when it needs no answer: the server does the
 * same work and answers nobody. A delivery report is one: what its ack would carry (the
 * member's deliveredSeq) comes in conversation:list at the next connect, so a device that sees
 * its report did not land (the list's deliveredSeq behind what it holds) reports again then.
 */
export const ACK_OPTIONAL_EVENTS = [ClientEvent.ConversationMarkDelivered] as const;
export type AckOptionalEventName = (typeof ACK_OPTIONAL_EVENTS)[number];

export function isAckOptional(event: ClientEventName): event is AckOptionalEventName {
  return (ACK_OPTIONAL_EVENTS as readonly ClientEventName[]).includes(event);
}

export const clientEventSchemas = {
  [ClientEvent.ConversationList]: ConversationListRequest,
  [ClientEvent.ConversationGet]: ConversationRequest,
  [ClientEvent.ConversationStart]: ConversationStartRequest,
  [ClientEvent.ConversationMarkRead]: ConversationMarkReadRequest,
  [ClientEvent.ConversationMarkDelivered]: ConversationMarkDeliveredRequest,
  [ClientEvent.ConversationMute]: ConversationMuteRequest,
  [ClientEvent.ConversationPin]: ConversationPinRequest,
  [ClientEvent.ConversationArchive]: ConversationArchiveRequest,
  [ClientEvent.ConversationClear]: ConversationRequest,
  [ClientEvent.MessageSend]: MessageSendRequest,
  [ClientEvent.MessageHistory]: MessageHistoryRequest,
  [ClientEvent.MessageReceipts]: MessageReceiptsRequest,
  [ClientEvent.MessageEdit]: MessageEditRequest,
  [ClientEvent.MessageDelete]: MessageDeleteRequest,
  [ClientEvent.MessageReact]: MessageReactRequest,
  [ClientEvent.MessageForward]: MessageForwardRequest,
  [ClientEvent.MessageChanges]: MessageChangesRequest,
  [ClientEvent.MessageSearch]: MessageSearchRequest,
  [ClientEvent.GroupCreate]: GroupCreateRequest,
  [ClientEvent.GroupAddMembers]: GroupAddMembersRequest,
  [ClientEvent.GroupRemoveMember]: GroupMemberRequest,
  [ClientEvent.GroupLeave]: ConversationRequest,
  [ClientEvent.GroupSetRole]: GroupSetRoleRequest,
  [ClientEvent.GroupUpdate]: GroupUpdateRequest,
  [ClientEvent.GroupMembers]: ConversationRequest,
  [ClientEvent.GroupInviteLink]: ConversationRequest,
  [ClientEvent.GroupInviteCreate]: GroupInviteCreateRequest,
  [ClientEvent.GroupInviteRevoke]: ConversationRequest,
  [ClientEvent.GroupInvitePreview]: InviteCodeRequest,
  [ClientEvent.GroupJoin]: InviteCodeRequest,
  [ClientEvent.PresenceQuery]: PresenceQueryRequest,
  [ClientEvent.PrivacyUpdate]: PrivacyUpdateRequest,
  [ClientEvent.ProfileUpdate]: ProfileUpdateRequest,
  [ClientEvent.PeopleSearch]: PeopleSearchRequest,
  [ClientEvent.PeopleGet]: PeopleGetRequest,
  [ClientEvent.BlockAdd]: BlockRequest,
  [ClientEvent.BlockRemove]: BlockRequest,
  [ClientEvent.BlockList]: BlockListRequest,
  [ClientEvent.ReportCreate]: ReportCreateRequest,
  [ClientEvent.TypingStart]: ConversationRequest,
  [ClientEvent.TypingStop]: ConversationRequest,
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;

export interface ClientEventResults {
  /** `pages`: the first page past each cursor sent with the list, for those with news. */
  [ClientEvent.ConversationList]: { conversations: ConversationSummary[]; pages?: CatchUpPage[] };
  [ClientEvent.ConversationGet]: { conversation: ConversationSummary };
  [ClientEvent.ConversationStart]: { conversation: ConversationSummary };
  [ClientEvent.ConversationMarkRead]: { readSeq: number };
  [ClientEvent.ConversationMarkDelivered]: { deliveredSeq: number };
  /** With the viewer's other settings of it: unmuting may keep an archived chat archived. */
  [ClientEvent.ConversationMute]: ConversationFlags;
  /** Pinning takes it out of the archive; at most MAX_PINNED_CONVERSATIONS are pinned. */
  [ClientEvent.ConversationPin]: ConversationFlags;
  /** Archiving unpins it. */
  [ClientEvent.ConversationArchive]: ConversationFlags;
  /**
   * "Clear chat": every message up to `upToSeq` is hidden for the user, as "delete for me"
   * hides one; `count` of them newly, the last taking change seq `changeSeq`.
   */
  [ClientEvent.ConversationClear]: ConversationCleared;
  /** `duplicate` is true when this clientMsgId was already stored: nothing new was written. */
  [ClientEvent.MessageSend]: { message: Message; duplicate: boolean };
  [ClientEvent.MessageHistory]: { messages: Message[]; hasMore: boolean };
  [ClientEvent.MessageReceipts]: { receipts: MessageReceipts };
  /** The message as it is after the edit (a retried edit answers the same). */
  [ClientEvent.MessageEdit]: { message: Message };
  /** For everyone: the tombstone. For me: the message is null (gone from my devices). */
  [ClientEvent.MessageDelete]: { message: Message | null };
  /** The message with its reactions as they are now. */
  [ClientEvent.MessageReact]: { message: Message };
  /** The copies, per target conversation in the order given, each in the order of seqs. */
  [ClientEvent.MessageForward]: { forwarded: { conversationId: string; messages: Message[] }[] };
  [ClientEvent.MessageChanges]: { changes: MessageChanges };
  /** Newest first; `hasMore`: older matches follow (ask with beforeId: the last result's id). */
  [ClientEvent.MessageSearch]: MessageSearchResults;
  [ClientEvent.GroupCreate]: { conversation: ConversationSummary };
  [ClientEvent.GroupAddMembers]: { conversation: ConversationSummary };
  /** `conversation` is null when you removed yourself: that is leaving. */
  [ClientEvent.GroupRemoveMember]: { conversation: ConversationSummary | null };
  [ClientEvent.GroupLeave]: Record<string, never>;
  [ClientEvent.GroupSetRole]: { conversation: ConversationSummary };
  [ClientEvent.GroupUpdate]: { conversation: ConversationSummary };
  [ClientEvent.GroupMembers]: { members: GroupMember[] };
  /** The group's live invite code (admins only); null when it has none. */
  [ClientEvent.GroupInviteLink]: { code: string | null };
  /** The live code: the one the group has, or a new one (isReset: the old one ends). */
  [ClientEvent.GroupInviteCreate]: { code: string };
  [ClientEvent.GroupInviteRevoke]: { code: null };
  [ClientEvent.GroupInvitePreview]: { invite: InvitePreview };
  /** The group, joined (or as it is, when you were in it already). */
  [ClientEvent.GroupJoin]: { conversation: ConversationSummary };
  /** Only people who share a conversation with you; others are left out. */
  [ClientEvent.PresenceQuery]: { presence: Presence[] };
  /** Changes any of the settings; answers with all of them. */
  [ClientEvent.PrivacyUpdate]: { privacy: PrivacySettings };
  /** The profile as it is after the change. */
  [ClientEvent.ProfileUpdate]: { profile: Profile };
  /** The exact username first, then by username; at most PEOPLE_SEARCH_MAX. */
  [ClientEvent.PeopleSearch]: { people: Profile[] };
  /** Only people who share a conversation with you; others are left out. */
  [ClientEvent.PeopleGet]: { people: Profile[] };
  /** Everyone you have blocked, by username, after the change. */
  [ClientEvent.BlockAdd]: { blocked: Profile[] };
  [ClientEvent.BlockRemove]: { blocked: Profile[] };
  [ClientEvent.BlockList]: { blocked: Profile[] };
  /** `duplicate`: the same thing was already reported by you and is still open; nothing new. */
  [ClientEvent.ReportCreate]: { reportId: string; duplicate: boolean };
  [ClientEvent.TypingStart]: Record<string, never>;
  [ClientEvent.TypingStop]: Record<string, never>;
}

export type ClientEventPayload<E extends ClientEventName> = z.input<(typeof clientEventSchemas)[E]>;
export type ClientEventInput<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;
export type ClientEventAck<E extends ClientEventName> = Ack<ClientEventResults[E]>;

export type ClientToServerEvents = {
  [E in ClientEventName]: (
    payload: ClientEventPayload<E>,
    ack: (response: ClientEventAck<E>) => void,
  ) => void;
};

export interface ServerToClientEvents {
  [ServerEvent.SessionReady]: (payload: SessionReady) => void;
  [ServerEvent.MessageCreated]: (message: Message) => void;
  /** `previousChangeSeq`: the change cursor a device must hold for this to follow on directly. */
  [ServerEvent.MessageChanged]: (
    changes: Omit<MessageChanges, 'hasMore' | 'unread'> & { previousChangeSeq: number },
  ) => void;
  [ServerEvent.ReceiptUpdated]: (update: ReceiptUpdate) => void;
  [ServerEvent.ConversationRemoved]: (payload: MembershipEnded) => void;
  [ServerEvent.ConversationUpdated]: (flags: ConversationFlags) => void;
  [ServerEvent.PresenceUpdated]: (presence: Presence) => void;
  [ServerEvent.TypingUpdated]: (update: TypingUpdate) => void;
  [ServerEvent.SettingsUpdated]: (payload: { limits: ClientLimits }) => void;
  [ServerEvent.UserUpdated]: (profile: Profile) => void;
  [ServerEvent.SyncRequired]: () => void;
}
