// What a person asks of the server besides sending: starting conversations, groups and their
// members, muting, pinning and archiving, read receipts and who is online. Each is one request
// whose answer goes into the store; a refusal comes back as the sentence to show.

import {
  ClientEvent,
  PRESENCE_QUERY_MAX,
  type ClientEventName,
  type ClientEventPayload,
  type ClientEventResults,
  type ConversationFlags,
  type ConversationSummary,
  type MemberRole,
  type MessageReceipts,
  type MessageSearchResults,
  type PrivacySettings,
  type Profile,
} from '../../protocol';
import { applyFlags } from '../chat-list';
import { applyProfiles, applyReadToSummary, isFormerMember } from '../chat-state';
import { patch, summaryOf, update, updateSummary, upsertSummary, type ChatStore } from './store';
import type { Request, RequestResult } from './transport';

/** What an action refused while offline says. */
const OFFLINE = 'You are offline. Try again when you are back online.';

/** What a report is about: a person, or a message (whose sender is the one reported). */
export type ReportTarget = { userId: string } | { conversationId: string; seq: number };

/** The outcome of an action a person took, with the sentence to show when it failed. */
export type ActionResult<T = object> = ({ ok: true } & T) | { ok: false; message: string };

type GroupChange =
  | typeof ClientEvent.GroupCreate
  | typeof ClientEvent.GroupAddMembers
  | typeof ClientEvent.GroupSetRole
  | typeof ClientEvent.GroupUpdate
  | typeof ClientEvent.GroupJoin;

export interface CommandsOptions {
  request: Request;
  isConnected: () => boolean;
  store: ChatStore;
  /** Whether the person is looking at this tab: only then are messages marked read. */
  isVisible: () => boolean;
  /**
   * Whether a view says which messages it has shown (markSeen): then only those are marked
   * read. Without one (the bench, tests) the open conversation counts as seen whole.
   */
  marksReadWhenSeen: boolean;
}

export class ChatCommands {
  private readonly request: Request;
  private readonly store: ChatStore;
  /** Per conversation, the newest seq the view has had on screen. */
  private readonly seenSeq = new Map<string, number>();

  constructor(private readonly options: CommandsOptions) {
    this.request = options.request;
    this.store = options.store;
  }

  async startConversation(
    username: string,
  ): Promise<ActionResult<{ conversation: ConversationSummary }>> {
    const response = await this.request(ClientEvent.ConversationStart, { username });
    if (!response.ok) return { ok: false, message: response.message };
    this.acceptSummary(response.conversation);
    return { ok: true, conversation: response.conversation };
  }

  /**
   * `clientRequestId` names this one group: give the same one when the person tries again
   * after no answer, so that a group the server did create is returned, not made twice.
   */
  createGroup(title: string, usernames: string[], clientRequestId: string) {
    return this.changeGroup(ClientEvent.GroupCreate, { title, usernames, clientRequestId });
  }

  addMembers(conversationId: string, usernames: string[]) {
    return this.changeGroup(ClientEvent.GroupAddMembers, { conversationId, usernames });
  }

  /**
   * Removing yourself is leaving: the group stays on this device, read-only, once
   * conversation:removed (sent to every device of the user) says where it ends.
   */
  async removeMember(
    conversationId: string,
    userId: string,
  ): Promise<ActionResult<{ conversation: ConversationSummary | null }>> {
    const response = await this.request(ClientEvent.GroupRemoveMember, { conversationId, userId });
    if (!response.ok) return { ok: false, message: response.message };
    if (!response.conversation) return { ok: true, conversation: null };
    return this.acceptChange(response.conversation);
  }

  setRole(conversationId: string, userId: string, role: MemberRole) {
    return this.changeGroup(ClientEvent.GroupSetRole, { conversationId, userId, role });
  }

  /** A group's name, description, or whether only admins may change them. */
  updateGroup(
    conversationId: string,
    change: {
      title?: string;
      description?: string;
      isInfoAdminsOnly?: boolean;
      isSendAdminsOnly?: boolean;
    },
  ) {
    return this.changeGroup(ClientEvent.GroupUpdate, { conversationId, ...change });
  }

  /**
   * A group's invite link, for its admins: the live code ('get'; null when none), one made if
   * it has none ('create'), a new one that ends the old ('reset'), or none any more ('revoke').
   */
  async manageInviteLink(
    conversationId: string,
    action: 'get' | 'create' | 'reset' | 'revoke',
  ): Promise<ActionResult<{ code: string | null }>> {
    const offline = 'Invite links need a connection. You are offline.';
    if (action === 'get') return this.ask(ClientEvent.GroupInviteLink, { conversationId }, offline);
    if (action === 'revoke') {
      return this.ask(ClientEvent.GroupInviteRevoke, { conversationId }, offline);
    }
    const isReset = action === 'reset';
    return this.ask(ClientEvent.GroupInviteCreate, { conversationId, isReset }, offline);
  }

  /** What an invite link leads to, before joining. */
  previewInvite(code: string) {
    return this.ask(
      ClientEvent.GroupInvitePreview,
      { code },
      'Opening an invite link needs a connection. You are offline.',
    );
  }

  /** Joins the group of an invite link; it comes into the list like a group one was added to. */
  joinGroup(code: string) {
    return this.changeGroup(ClientEvent.GroupJoin, { code });
  }

  async leaveGroup(conversationId: string): Promise<ActionResult> {
    const response = await this.request(ClientEvent.GroupLeave, { conversationId });
    if (!response.ok) return { ok: false, message: response.message };
    // The conversation stays, read-only: conversation:removed, on every device of the user
    // (this one included), says where it ends.
    return { ok: true };
  }

  /** No push notifications for this conversation (messages still arrive). */
  async setMuted(conversationId: string, isMuted: boolean): Promise<ActionResult> {
    return this.changeFlags(ClientEvent.ConversationMute, { conversationId, isMuted });
  }

  /** On top of the list (at most MAX_PINNED_CONVERSATIONS); pinning unarchives. */
  async setPinned(conversationId: string, isPinned: boolean): Promise<ActionResult> {
    return this.changeFlags(ClientEvent.ConversationPin, { conversationId, isPinned });
  }

  /** Out of the main list, into Archived (which unpins); false brings it back. */
  async setArchived(conversationId: string, isArchived: boolean): Promise<ActionResult> {
    return this.changeFlags(ClientEvent.ConversationArchive, { conversationId, isArchived });
  }

  /** The user's settings of a conversation, as the server answered or pushed them. */
  acceptFlags(flags: ConversationFlags): void {
    updateSummary(this.store, flags.conversationId, (item) => applyFlags(item, flags));
  }

  /** Changes who sees the user's presence and/or whether they send read receipts. */
  async setPrivacy(change: Partial<PrivacySettings>): Promise<ActionResult> {
    const response = await this.request(ClientEvent.PrivacyUpdate, change);
    if (!response.ok) return { ok: false, message: response.message };
    update(this.store, (state) => ({ ...state, privacy: response.privacy }));
    return { ok: true };
  }

  /** Loads a group's members (and their presence) into the state. */
  async loadMembers(conversationId: string): Promise<void> {
    const response = await this.request(ClientEvent.GroupMembers, { conversationId });
    if (!response.ok) return;
    update(this.store, (state) => ({
      ...state,
      members: { ...state.members, [conversationId]: response.members },
    }));
    void this.refreshPresence(response.members.map((member) => member.id));
  }

  async getReceipts(
    conversationId: string,
    seq: number,
  ): Promise<ActionResult<{ receipts: MessageReceipts }>> {
    const response = await this.request(ClientEvent.MessageReceipts, { conversationId, seq });
    return response.ok ? response : { ok: false, message: response.message };
  }

  /** Changes the user's display name and/or "about"; every place that shows it follows. */
  async updateProfile(change: {
    displayName?: string;
    about?: string;
  }): Promise<ActionResult<{ profile: Profile }>> {
    const response = await this.ask(ClientEvent.ProfileUpdate, change, OFFLINE);
    if (response.ok) this.acceptProfiles([response.profile]);
    return response;
  }

  /** People to chat with, by the start of their username or of a word of their name. */
  async searchPeople(query: string): Promise<ActionResult<{ people: Profile[] }>> {
    return this.ask(
      ClientEvent.PeopleSearch,
      { query },
      'Finding people needs a connection. You are offline.',
    );
  }

  /** Asks the current profiles of these people (those the user shares a conversation with). */
  async refreshPeople(userIds: string[]): Promise<void> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0 || !this.options.isConnected()) return;
    for (let start = 0; start < ids.length; start += PRESENCE_QUERY_MAX) {
      const response = await this.request(ClientEvent.PeopleGet, {
        userIds: ids.slice(start, start + PRESENCE_QUERY_MAX),
      });
      if (response.ok) this.acceptProfiles(response.people);
    }
  }

  /** Blocks someone, or takes the block away; the list of blocked people follows. */
  async setBlocked(userId: string, isBlocked: boolean): Promise<ActionResult> {
    const event = isBlocked ? ClientEvent.BlockAdd : ClientEvent.BlockRemove;
    const response = await this.ask(event, { userId }, OFFLINE);
    if (!response.ok) return response;
    patch(this.store, { blocked: response.blocked });
    return { ok: true };
  }

  /** Reports a person or a message to the admins; nothing changes on this device. */
  async report(target: ReportTarget, note: string): Promise<ActionResult> {
    const response = await this.ask(
      ClientEvent.ReportCreate,
      { ...target, note },
      'Reporting needs a connection. You are offline.',
    );
    return response.ok ? { ok: true } : response;
  }

  /** The people the user blocked, into the state. */
  async loadBlocked(): Promise<void> {
    if (!this.options.isConnected()) return;
    const response = await this.request(ClientEvent.BlockList, {});
    if (response.ok) patch(this.store, { blocked: response.blocked });
  }

  /** Profiles the server told: shown wherever these people appear. */
  acceptProfiles(profiles: Profile[]): void {
    update(this.store, (state) => applyProfiles(state, profiles));
  }

  /** Messages with these words, newest first: in every conversation, or in one. */
  async searchMessages(
    payload: ClientEventPayload<typeof ClientEvent.MessageSearch>,
  ): Promise<ActionResult<MessageSearchResults>> {
    return this.ask(
      ClientEvent.MessageSearch,
      payload,
      'Searching needs a connection. You are offline.',
    );
  }

  /** Asks who of these people is online (only people the user shares a conversation with). */
  async refreshPresence(userIds: string[]): Promise<void> {
    const meId = this.store.getState().me.id;
    const ids = [...new Set(userIds)].filter((id) => id !== meId);
    if (ids.length === 0 || !this.options.isConnected()) return;
    const response = await this.request(ClientEvent.PresenceQuery, {
      userIds: ids.slice(0, PRESENCE_QUERY_MAX),
    });
    if (!response.ok) return;
    update(this.store, (state) => ({
      ...state,
      presence: {
        ...state.presence,
        ...Object.fromEntries(response.presence.map((item) => [item.userId, item])),
      },
    }));
  }

  /**
   * The view has shown the messages of a conversation up to `seq`: the read marker may move
   * that far (a message that arrived while the reader was scrolled up stays unread).
   */
  markSeen(conversationId: string, seq: number): void {
    if (seq <= (this.seenSeq.get(conversationId) ?? 0)) return;
    this.seenSeq.set(conversationId, seq);
    if (conversationId === this.store.getState().activeConversationId) this.markActiveRead();
  }

  forgetSeen(conversationId: string): void {
    this.seenSeq.delete(conversationId);
  }

  /** Tells the server what of the open conversation has been seen, when the tab is visible. */
  markActiveRead(): void {
    const state = this.store.getState();
    const conversationId = state.activeConversationId;
    if (!conversationId || !this.options.isConnected() || !this.options.isVisible()) return;
    const summary = summaryOf(state, conversationId);
    const synced = state.threads[conversationId]?.syncedSeq ?? 0;
    const seq = this.options.marksReadWhenSeen
      ? Math.min(synced, this.seenSeq.get(conversationId) ?? 0)
      : synced;
    if (!summary || seq <= summary.readSeq) return;
    const thread = state.threads[conversationId];
    updateSummary(this.store, conversationId, (item) =>
      applyReadToSummary(item, seq, thread && { thread, meId: state.me.id }),
    );
    // A former member's copy is read-only: the server keeps no markers for them (and lists the
    // group with nothing unread).
    if (isFormerMember(summary)) return;
    void this.request(ClientEvent.ConversationMarkRead, { conversationId, seq });
  }

  /** A summary from the server; a new person to chat with comes with whether they are online. */
  acceptSummary(summary: ConversationSummary): void {
    if (summary.peer && !this.store.getState().presence[summary.peer.id])
      void this.refreshPresence([summary.peer.id]);
    upsertSummary(this.store, summary);
  }

  /**
   * One request a person is waiting for: refused at once with `offlineMessage` while offline,
   * and its answer or the refusal's sentence.
   */
  private async ask<E extends ClientEventName>(
    event: E,
    payload: ClientEventPayload<E>,
    offlineMessage: string,
  ): Promise<ActionResult<ClientEventResults[E]>> {
    if (!this.options.isConnected()) return { ok: false, message: offlineMessage };
    const response = await this.request(event, payload);
    return response.ok ? response : { ok: false, message: response.message };
  }

  private async changeFlags<
    E extends
      | typeof ClientEvent.ConversationMute
      | typeof ClientEvent.ConversationPin
      | typeof ClientEvent.ConversationArchive,
  >(event: E, payload: ClientEventPayload<E>): Promise<ActionResult> {
    const response = await this.ask(event, payload, OFFLINE);
    if (!response.ok) return response;
    this.acceptFlags(response);
    return { ok: true };
  }

  private async changeGroup<E extends GroupChange>(
    event: E,
    payload: ClientEventPayload<E>,
  ): Promise<ActionResult<{ conversation: ConversationSummary }>> {
    // Every group change answers with the conversation as it is after the change.
    const response = (await this.request(event, payload)) as RequestResult<
      typeof ClientEvent.GroupCreate
    >;
    if (!response.ok) return { ok: false, message: response.message };
    return this.acceptChange(response.conversation);
  }

  private acceptChange(conversation: ConversationSummary) {
    this.acceptSummary(conversation);
    if (this.store.getState().members[conversation.id]) void this.loadMembers(conversation.id);
    return { ok: true as const, conversation };
  }
}
