// The chat client of one browser tab (or one test device): wires the transport, the store,
// the outbox, cursor sync, the commands and the actions on messages (hooks/client/) and turns
// server events into their calls. The delivery protocol it follows is in docs/api.md.

import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import {
  ClientEvent,
  ServerEvent,
  type MembershipEnded,
  type Message,
  type MemberRole,
  type PrivacySettings,
  type UserSummary,
} from '../protocol';
import { applyDraft, applyProfiles, applyReceiptToSummary, type ChatState } from './chat-state';
import { ChatCommands, type ReportTarget } from './client/commands';
import { HeldThreads } from './client/held-threads';
import { MessageActions } from './client/message-actions';
import { Outbox } from './client/outbox';
import {
  createChatStore,
  endMembership,
  patch,
  summaryOf,
  update,
  updateSummary,
  type ChatStore,
} from './client/store';
import { ConversationSync, NEWEST_PAGE, type ChangesPush } from './client/sync';
import { Transport } from './client/transport';
import { TypingIndicators } from './client/typing-indicators';
import { TypingNotifier } from './client/typing-notifier';
import { MemoryDeviceStore, type DeviceStore } from './device-store';

export type { ActionResult, ReportTarget } from './client/commands';
export type { RequestResult, TransportFailure } from './client/transport';

/** The conversation list is written to the device at most this often. */
const LIST_WRITE_DELAY_MS = 300;

export interface ChatClientOptions {
  /** Server URL; the page's own origin when omitted. */
  url?: string;
  /** Where the device keeps its data; memory when omitted. */
  store?: DeviceStore;
  /** Extra socket.io-client options (a non-browser client passes its cookie here). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** Whether the person is looking at this tab: only then are messages marked read. */
  isVisible?: () => boolean;
  /**
   * Mark read only what the view says it has shown (markSeen), as a page does; otherwise the
   * open conversation is marked read whole.
   */
  marksReadWhenSeen?: boolean;
  /**
   * Called when one of this client's sends is known to be stored: for every ack (a retry may be
   * acked again), and when the message itself arrives from the server while still in the outbox
   * (its ack was lost with the connection, and sync found it stored before a retry was answered).
   */
  onAcknowledged?: (message: Message) => void;
}

export class ChatClient {
  /** The state, for React (hooks/use-chat.tsx reads it with selectors). */
  readonly store: ChatStore;
  private readonly device: DeviceStore;
  private readonly transport: Transport;
  private readonly threads: HeldThreads;
  private readonly sync: ConversationSync;
  private readonly outbox: Outbox;
  private readonly commands: ChatCommands;
  private readonly actions: MessageActions;
  private readonly typingIndicators: TypingIndicators;
  private readonly typingNotifier: TypingNotifier;
  private readonly onAcknowledged: ((message: Message) => void) | undefined;
  private listWrite: ReturnType<typeof setTimeout> | undefined;
  /** When a read was last written at once (saveList). */
  private readWrittenAt = Number.NEGATIVE_INFINITY;
  private hydration: Promise<void> | undefined;
  private isStopped = false;

  constructor(me: UserSummary, options: ChatClientOptions = {}) {
    this.store = createChatStore(me);
    this.device = options.store ?? new MemoryDeviceStore();
    this.transport = new Transport({ url: options.url, socketOptions: options.socketOptions });
    const { request, notify } = this.transport;
    const isConnected = () => this.transport.isConnected;
    this.threads = new HeldThreads(this.store, this.device);
    this.sync = new ConversationSync({
      request,
      notify,
      isConnected,
      sink: this.threads,
      changes: this.threads,
    });
    this.onAcknowledged = options.onAcknowledged;
    this.outbox = new Outbox({
      request,
      isConnected,
      store: this.store,
      device: this.device,
      onStored: (message) => {
        this.onAcknowledged?.(message);
        this.receiveMessage(message);
      },
    });
    this.commands = new ChatCommands({
      request,
      isConnected,
      store: this.store,
      isVisible:
        options.isVisible ??
        (() => typeof document === 'undefined' || document.visibilityState === 'visible'),
      marksReadWhenSeen: options.marksReadWhenSeen ?? false,
    });
    this.actions = new MessageActions({
      request,
      store: this.store,
      sync: this.sync,
      threads: this.threads,
      onStored: (message) => this.receiveMessage(message),
    });
    this.typingIndicators = new TypingIndicators(this.store);
    this.typingNotifier = new TypingNotifier((conversationId, isTyping) => {
      if (!this.transport.isConnected) return;
      void request(isTyping ? ClientEvent.TypingStart : ClientEvent.TypingStop, { conversationId });
    });
    this.store.subscribe((state, previous) => {
      if (state.conversations === previous.conversations) return;
      // A conversation new to the list is written at once: a reload right after starting a
      // chat must find it offline. So is a read, at most once per LIST_WRITE_DELAY_MS
      // (messages arriving in the open chat are read one by one): a reload right after
      // reading must not show the chat unread again while the read marker may still be on its
      // way to the server. Previews, counts and order can wait a moment.
      const readSeqs = new Map(previous.conversations.map((item) => [item.id, item.readSeq]));
      const isNew = state.conversations.some((item) => !readSeqs.has(item.id));
      const isRead = state.conversations.some((item) => item.readSeq > readSeqs.get(item.id)!);
      this.saveList(isNew ? 'now' : isRead ? 'read' : 'soon');
    });
    this.wireServerEvents();
  }

  /** Shows what the device holds, then connects (at once, or when the network returns). */
  async start(): Promise<void> {
    this.isStopped = false;
    await this.hydrate();
    if (this.isStopped) return;
    this.transport.open();
  }

  stop(): void {
    this.isStopped = true;
    this.typingNotifier.stopAll();
    this.transport.close();
    this.outbox.stop();
    this.sync.stop();
    this.typingIndicators.stop();
  }

  /** Stops and erases everything this account left on the device (sign-out). */
  async forgetDevice(): Promise<void> {
    this.stop();
    clearTimeout(this.listWrite);
    await this.threads.flush();
    await this.device.clear();
  }

  /** Closes the connection as a network failure would; the client reconnects by itself. */
  dropConnection(): void {
    this.transport.drop();
  }

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(() => listener());

  getState = (): ChatState => this.store.getState();

  // ---- actions -------------------------------------------------------------------------

  startConversation(username: string) {
    return this.commands.startConversation(username);
  }

  /** Marks the conversation as the one on screen and makes sure its messages are held. */
  openConversation(conversationId: string | null): void {
    patch(this.store, { activeConversationId: conversationId });
    if (!conversationId) return;
    if (!this.getState().threads[conversationId])
      void this.sync.sync(conversationId, { startHolding: true });
    const peer = summaryOf(this.getState(), conversationId)?.peer;
    if (peer) void this.commands.refreshPresence([peer.id]);
    this.markActiveRead();
  }

  loadOlder(conversationId: string): Promise<void> {
    return this.threads.loadOlder(conversationId, this.transport.request);
  }

  /**
   * Puts a message in the outbox (shown at once as pending, stored on the device) and sends
   * it when the connection allows. Returns the problem instead when the text can never be sent.
   * `replyToSeq`: the message of the conversation it answers (quoted above it).
   */
  sendMessage(conversationId: string, body: string, replyToSeq?: number) {
    const result = this.outbox.compose(conversationId, body, replyToSeq);
    if (result.ok) {
      this.typingNotifier.sent(conversationId);
      this.setDraft(conversationId, '');
    }
    return result;
  }

  /** New text for one of the user's own messages, within the edit window. */
  editMessage(conversationId: string, seq: number, body: string) {
    return this.actions.edit(conversationId, seq, body);
  }

  /** For everyone (the text is erased on the server), or for the user alone (all their devices). */
  deleteMessage(conversationId: string, seq: number, scope: 'everyone' | 'me') {
    return this.actions.delete(conversationId, seq, scope);
  }

  /** "Clear chat": every message of the conversation hidden for the user, on all their devices. */
  clearChat(conversationId: string) {
    return this.actions.clear(conversationId);
  }

  /** The user's one reaction to a message; null takes it away. */
  react(conversationId: string, seq: number, emoji: string | null) {
    return this.actions.react(conversationId, seq, emoji);
  }

  /** Copies messages of one conversation into others, marked forwarded. */
  forwardMessages(conversationId: string, seqs: number[], targetIds: string[]) {
    return this.actions.forward(conversationId, seqs, targetIds);
  }

  /** Makes sure the message is held (loading the history around it): true once it is. */
  showMessage(conversationId: string, seq: number): Promise<boolean> {
    return this.actions.showMessage(conversationId, seq);
  }

  /** What the composer holds: kept per conversation, on the device too, until it is sent. */
  setDraft(conversationId: string, text: string): void {
    const { drafts } = this.getState();
    const next = applyDraft(drafts, conversationId, text);
    if (next === drafts) return;
    patch(this.store, { drafts: next });
    void this.device.saveDraft(conversationId, text).catch(() => undefined);
  }

  retryMessage(clientMsgId: string): void {
    this.outbox.retry(clientMsgId);
  }

  discardMessage(clientMsgId: string): void {
    this.outbox.remove(clientMsgId);
  }

  /** The composer's keystrokes and pauses, for "… is typing". */
  typing(conversationId: string, isTyping: boolean): void {
    if (isTyping) this.typingNotifier.keystroke(conversationId);
    else this.typingNotifier.stop(conversationId);
  }

  createGroup(title: string, usernames: string[], clientRequestId: string) {
    return this.commands.createGroup(title, usernames, clientRequestId);
  }

  addMembers(conversationId: string, usernames: string[]) {
    return this.commands.addMembers(conversationId, usernames);
  }

  removeMember(conversationId: string, userId: string) {
    return this.commands.removeMember(conversationId, userId);
  }

  setRole(conversationId: string, userId: string, role: MemberRole) {
    return this.commands.setRole(conversationId, userId, role);
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
    return this.commands.updateGroup(conversationId, change);
  }

  leaveGroup(conversationId: string) {
    return this.commands.leaveGroup(conversationId);
  }

  /** A group's invite link, for its admins: see ChatCommands.manageInviteLink. */
  manageInviteLink(conversationId: string, action: 'get' | 'create' | 'reset' | 'revoke') {
    return this.commands.manageInviteLink(conversationId, action);
  }

  previewInvite(code: string) {
    return this.commands.previewInvite(code);
  }

  joinGroup(code: string) {
    return this.commands.joinGroup(code);
  }

  /** No push notifications for this conversation (messages still arrive). */
  setMuted(conversationId: string, isMuted: boolean) {
    return this.commands.setMuted(conversationId, isMuted);
  }

  /** On top of the list, or not; at most three are pinned, and pinning unarchives. */
  setPinned(conversationId: string, isPinned: boolean) {
    return this.commands.setPinned(conversationId, isPinned);
  }

  /** Into the Archived view (which unpins), or back into the list. */
  setArchived(conversationId: string, isArchived: boolean) {
    return this.commands.setArchived(conversationId, isArchived);
  }

  /** Changes who sees the user's presence and/or whether they send read receipts. */
  setPrivacy(change: Partial<PrivacySettings>) {
    return this.commands.setPrivacy(change);
  }

  /** Loads a group's members (and their presence) into the state. */
  loadMembers(conversationId: string) {
    return this.commands.loadMembers(conversationId);
  }

  /** Changes the user's display name and/or "about". */
  updateProfile(change: { displayName?: string; about?: string }) {
    return this.commands.updateProfile(change);
  }

  /** Reports a person, or a message, to the admins. */
  report(target: ReportTarget, note: string) {
    return this.commands.report(target, note);
  }

  /** Blocks someone (isBlocked true) or takes the block away. */
  setBlocked(userId: string, isBlocked: boolean) {
    return this.commands.setBlocked(userId, isBlocked);
  }

  /** People to start a chat with or add to a group. */
  searchPeople(query: string) {
    return this.commands.searchPeople(query);
  }

  /** Messages with these words, newest first (all conversations, or `conversationId`'s). */
  searchMessages(query: string, options: { conversationId?: string; beforeId?: number } = {}) {
    return this.commands.searchMessages({ query, ...options });
  }

  getReceipts(conversationId: string, seq: number) {
    return this.commands.getReceipts(conversationId, seq);
  }

  /** Asks who of these people is online (only people the user shares a conversation with). */
  refreshPresence(userIds: string[]) {
    return this.commands.refreshPresence(userIds);
  }

  /** Tells the server what of the open conversation has been seen, when the tab is visible. */
  markActiveRead(): void {
    this.commands.markActiveRead();
  }

  /** The view has had the conversation's messages up to `seq` on screen. */
  markSeen(conversationId: string, seq: number): void {
    this.commands.markSeen(conversationId, seq);
  }

  // ---- wiring --------------------------------------------------------------------------

  private wireServerEvents(): void {
    const { transport, store } = this;
    transport.onStatus(({ connection, isSessionEnded }) => {
      patch(store, { connection, isSessionEnded });
      if (connection !== 'online') this.outbox.onDisconnected();
    });
    // Every connection starts with session:ready; only then is it known whose it is.
    transport.on(ServerEvent.SessionReady, ({ user, profile, isAdmin, limits, privacy }) => {
      if (user.id !== this.getState().me.id) {
        // This browser has signed into another account since (which ended this tab's
        // session): nothing of this account may be sent, or shown, as that one.
        transport.endSession();
        return;
      }
      update(store, (state) =>
        applyProfiles({ ...state, me: user, isAdmin, limits, privacy }, [profile]),
      );
      void this.catchUp();
    });
    transport.on(ServerEvent.SettingsUpdated, ({ limits }) => patch(store, { limits }));
    transport.on(ServerEvent.UserUpdated, (profile) => this.commands.acceptProfiles([profile]));
    transport.on(ServerEvent.PresenceUpdated, (presence) =>
      update(store, (state) => ({
        ...state,
        presence: { ...state.presence, [presence.userId]: presence },
      })),
    );
    transport.on(ServerEvent.TypingUpdated, ({ conversationId, user, isTyping, device, order }) =>
      this.typingIndicators.set(conversationId, user, isTyping, { device, order }),
    );
    transport.on(ServerEvent.ConversationRemoved, (ended) => this.endMembership(ended));
    // Muted, pinned or archived on another device of the user.
    transport.on(ServerEvent.ConversationUpdated, (flags) => this.commands.acceptFlags(flags));
    // The server may have missed pushes for us (its Redis was down): catch up from cursors.
    transport.on(ServerEvent.SyncRequired, () => void this.syncAll());
    transport.on(ServerEvent.MessageCreated, (message) => this.receiveMessage(message));
    transport.on(ServerEvent.MessageChanged, (push) => this.receiveChanges(push));
    transport.on(ServerEvent.ReceiptUpdated, (receipt) => {
      const { me, threads } = this.getState();
      updateSummary(store, receipt.conversationId, (item) =>
        applyReceiptToSummary(item, receipt, me.id, threads[receipt.conversationId]),
      );
    });
  }

  /** After every (re)connect: the outbox first, then everything beyond the cursors. */
  private async catchUp(): Promise<void> {
    await this.outbox.resume();
    await this.syncAll();
  }

  /** The list from the server, every conversation with news beyond its cursor, then presence. */
  private async syncAll(): Promise<void> {
    if (!(await this.sync.syncAll())) return;
    this.markActiveRead();
    const { conversations, members, threads, me } = this.getState();
    const peerIds = conversations.flatMap((item) => (item.peer ? [item.peer.id] : []));
    void this.commands.refreshPresence(peerIds);
    // Names may have changed while this device was away: those of the people it shows.
    const senderIds = Object.values(threads).flatMap((thread) =>
      thread.messages.map((message) => message.senderId),
    );
    void this.commands.refreshPeople([...peerIds, ...senderIds].filter((id) => id !== me.id));
    for (const conversationId of Object.keys(members)) void this.loadMembers(conversationId);
  }

  /** A message from a push or from the ack of one of this device's sends. */
  private receiveMessage(message: Message): void {
    const { conversationId } = message;
    const state = this.getState();
    // One of ours, from this tab or another device: it is no longer pending.
    if (message.senderId === state.me.id && this.outbox.remove(message.clientMsgId)) {
      this.onAcknowledged?.(message);
    }
    const isKnown = summaryOf(state, conversationId) !== undefined;
    this.threads.applyToSummaries([message]);
    this.sync.receive(message);
    // A change of members changes the summary. (The server ends the sender's "typing" with a
    // "stopped" of its own, in the order of the sender's updates: the message may arrive after
    // the "typing" of the next keystroke.)
    if (!isKnown || message.kind === 'system') void this.fetchConversation(conversationId);
    if (message.kind === 'system' && this.getState().members[conversationId])
      void this.loadMembers(conversationId);
    if (conversationId === this.getState().activeConversationId) this.markActiveRead();
  }

  /**
   * Changes to messages, pushed. A conversation not held has only its summary here: when a
   * change may move its unread count (an unread message deleted or hidden), the server's
   * summary is fetched, since the device has not the messages to count again.
   */
  private receiveChanges(push: ChangesPush): void {
    this.sync.receiveChanges(push);
    const state = this.getState();
    if (state.threads[push.conversationId]) return;
    const summary = summaryOf(state, push.conversationId);
    if (!summary) return;
    const lowersUnread = push.messages.some(
      (message) =>
        (message.deleted || message.isHidden) &&
        message.seq > summary.readSeq &&
        message.senderId !== state.me.id,
    );
    if (lowersUnread) void this.fetchConversation(push.conversationId);
  }

  private async fetchConversation(conversationId: string): Promise<void> {
    const response = await this.transport.request(ClientEvent.ConversationGet, { conversationId });
    if (!response.ok) return;
    this.commands.acceptSummary(response.conversation);
    // The summary may show messages beyond what the device has: fetch them.
    await this.sync.sync(conversationId);
  }

  /**
   * The user is no longer a member: the messages up to the one that recorded it stay on the
   * device, read-only; what was still waiting to be sent cannot go any more, and the draft goes.
   */
  private endMembership(ended: MembershipEnded): void {
    this.outbox.forget(ended.conversationId);
    this.commands.forgetSeen(ended.conversationId);
    this.setDraft(ended.conversationId, '');
    endMembership(this.store, ended);
  }

  private async hydrate(): Promise<void> {
    this.hydration ??= (async () => {
      const snapshot = await this.device.load(NEWEST_PAGE).catch(() => null);
      if (!snapshot) return;
      this.threads.restore(snapshot);
      this.outbox.adopt(snapshot.outbox);
      // A draft typed since the page opened wins over the stored one.
      update(this.store, (state) => ({
        ...state,
        drafts: { ...snapshot.drafts, ...state.drafts },
      }));
    })();
    return this.hydration;
  }

  /**
   * Writes the list to the device: at once ('now', and 'read' unless a read was written less
   * than LIST_WRITE_DELAY_MS ago), or within LIST_WRITE_DELAY_MS together with any write
   * already waiting.
   */
  private saveList(why: 'now' | 'read' | 'soon'): void {
    const write = () => {
      clearTimeout(this.listWrite);
      this.listWrite = undefined;
      void this.device.saveConversations(this.getState().conversations).catch(() => undefined);
    };
    const now = Date.now();
    if (why === 'read' && now - this.readWrittenAt >= LIST_WRITE_DELAY_MS) {
      this.readWrittenAt = now;
      write();
    } else if (why === 'now') write();
    else this.listWrite ??= setTimeout(write, LIST_WRITE_DELAY_MS);
  }
}
