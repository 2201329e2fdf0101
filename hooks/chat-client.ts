// The one place in a browser tab (or a test device) that owns the socket: connection state,
// the conversation list, the messages held with their cursors, and the outbox. It implements
// the delivery protocol of docs/api.md: idempotent sends retried until acknowledged, in order;
// sync from cursors on every connect and on any gap; delivered and read reports.

import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  checkMessageText,
  ClientEvent,
  deliveryReportDelayMs,
  ErrorCode,
  HISTORY_PAGE_MAX,
  MESSAGE_MAX_CODE_POINTS,
  ServerEvent,
  TYPING_EXPIRES_MS,
  type ClientEventAck,
  type ClientEventName,
  type ClientEventPayload,
  type ClientToServerEvents,
  type ConversationSummary,
  type MemberRole,
  type Message,
  type MessageReceipts,
  type ServerToClientEvents,
  type UserSummary,
} from '../protocol';
import {
  addForward,
  addOlder,
  applyMessageToSummary,
  applyTyping,
  applyReadToSummary,
  applyReceiptToSummary,
  hasMoreBefore,
  mergeSummary,
  replaceConversation,
  sortConversations,
  threadFromNewestPage,
  type ChatState,
  type PendingMessage,
  type Thread,
} from './chat-state';
import { MemoryDeviceStore, type DeviceStore } from './device-store';
import { randomUuid } from './random-uuid';
import { TypingNotifier } from './typing-notifier';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Timer = ReturnType<typeof setTimeout>;

/** A request that never got an answer: the connection dropped or the server was too slow. */
export interface TransportFailure {
  ok: false;
  code: 'TIMEOUT';
  message: string;
}

export type RequestResult<E extends ClientEventName> = ClientEventAck<E> | TransportFailure;

/** The outcome of an action a person took, with the sentence to show when it failed. */
export type ActionResult<T = object> = ({ ok: true } & T) | { ok: false; message: string };

const REQUEST_TIMEOUT_MS = 10_000;
const NEWEST_PAGE = 50;
const SYNC_PAGE = HISTORY_PAGE_MAX;
/** Conversations synced at the same time after a reconnect. */
const SYNC_CONCURRENCY = 4;
/** Failures worth retrying: the server or the network, not the message itself. */
const RETRYABLE = new Set<string>(['TIMEOUT', ErrorCode.Internal, ErrorCode.RateLimited]);
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 15_000;

export interface ChatClientOptions {
  /** Server URL; the page's own origin when omitted. */
  url?: string;
  /** Where the device keeps its data; memory when omitted. */
  store?: DeviceStore;
  /** Extra socket.io-client options (a non-browser client passes its cookie here). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** Whether the person is looking at this tab: only then are messages marked read. */
  isVisible?: () => boolean;
  /** Called for every ack of one of this client's sends (a retry may be acked again). */
  onAcknowledged?: (message: Message) => void;
}

export class ChatClient {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private readonly socket: ClientSocket;
  private readonly store: DeviceStore;
  private readonly isVisible: () => boolean;
  private readonly onAcknowledged: ((message: Message) => void) | undefined;
  /** The send in flight per conversation: one at a time, so messages are stored in order. */
  private readonly inFlight = new Map<string, { clientMsgId: string; attempt: number }>();
  private readonly retryTimers = new Map<string, Timer>();
  private readonly retryCounts = new Map<string, number>();
  private readonly syncRuns = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly deliveryTimers = new Map<string, Timer>();
  /** Pending writes per conversation: delivery is reported only for what is stored. */
  private readonly writes = new Map<string, Promise<void>>();
  private listWrite: Timer | undefined;
  private readonly typingTimers = new Map<string, Timer>();
  /** A connection refused for too many open ones is tried again after this. */
  private reconnectTimer: Timer | undefined;
  private readonly typingNotifier: TypingNotifier;
  private attempts = 0;
  private composed = 0;
  private hydration: Promise<void> | undefined;
  private isStopped = false;

  constructor(me: UserSummary, options: ChatClientOptions = {}) {
    this.state = {
      connection: 'connecting',
      me,
      isAdmin: false,
      limits: { maxMessageLength: MESSAGE_MAX_CODE_POINTS },
      presence: {},
      typing: {},
      members: {},
      conversations: [],
      isListLoaded: false,
      threads: {},
      pending: [],
      activeConversationId: null,
      isSessionEnded: false,
      sendingPausedUntil: null,
    };
    this.store = options.store ?? new MemoryDeviceStore();
    this.onAcknowledged = options.onAcknowledged;
    this.typingNotifier = new TypingNotifier((conversationId, isTyping) => {
      if (!this.socket.connected) return;
      void this.request(isTyping ? ClientEvent.TypingStart : ClientEvent.TypingStop, {
        conversationId,
      });
    });
    this.isVisible =
      options.isVisible ??
      (() => typeof document === 'undefined' || document.visibilityState === 'visible');
    // Exponential backoff with jitter (randomizationFactor), capped, so that a restarted
    // server is not hit by every client in the same second.
    this.socket = io(options.url ?? '', {
      autoConnect: false,
      withCredentials: true,
      // WebSocket straight away, long-polling only when it cannot open. The default order
      // (polling, then an upgrade) can leave a connection that died mid-upgrade looking open
      // until the heartbeat gives up (45 s), and costs extra requests on every connect.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
      ...options.socketOptions,
    });
    this.wireSocket();
  }

  /** Shows what the device holds, then connects (at once, or when the network returns). */
  async start(): Promise<void> {
    this.isStopped = false;
    await this.hydrate();
    if (this.isStopped) return;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.update((state) => ({ ...state, connection: 'offline' }));
      return;
    }
    this.socket.connect();
  }

  stop(): void {
    this.isStopped = true;
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
    this.typingNotifier.stopAll();
    this.socket.disconnect();
    clearTimeout(this.reconnectTimer);
    const timers = [this.retryTimers, this.deliveryTimers, this.typingTimers];
    for (const map of timers) {
      for (const timer of map.values()) clearTimeout(timer);
      map.clear();
    }
  }

  /** Stops and erases everything this account left on the device (sign-out). */
  async forgetDevice(): Promise<void> {
    this.stop();
    clearTimeout(this.listWrite);
    await Promise.allSettled(this.writes.values());
    await this.store.clear();
  }

  /** Closes the connection as a network failure would; the client reconnects by itself. */
  dropConnection(): void {
    this.socket.io.engine?.close();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ChatState => this.state;

  // ---- actions -------------------------------------------------------------------------

  async startConversation(
    username: string,
  ): Promise<{ ok: true; conversation: ConversationSummary } | { ok: false; message: string }> {
    const response = await this.request(ClientEvent.ConversationStart, { username });
    if (!response.ok) return { ok: false, message: response.message };
    this.upsertSummary(response.conversation);
    return { ok: true, conversation: response.conversation };
  }

  /** Marks the conversation as the one on screen and makes sure its messages are held. */
  openConversation(conversationId: string | null): void {
    this.update((state) => ({ ...state, activeConversationId: conversationId }));
    if (!conversationId) return;
    if (!this.state.threads[conversationId]) void this.syncConversation(conversationId, true);
    const peer = this.summary(conversationId)?.peer;
    if (peer) void this.refreshPresence([peer.id]);
    this.markActiveRead();
  }

  async loadOlder(conversationId: string): Promise<void> {
    const thread = this.state.threads[conversationId];
    if (!thread || thread.isLoadingOlder || !hasMoreBefore(thread)) return;
    this.patchThread(conversationId, (current) => ({ ...current, isLoadingOlder: true }));
    const response = await this.request(ClientEvent.MessageHistory, {
      conversationId,
      beforeSeq: thread.oldestSeq,
      limit: NEWEST_PAGE,
    });
    this.patchThread(conversationId, (current) =>
      response.ok ? addOlder(current, response) : { ...current, isLoadingOlder: false },
    );
    if (response.ok) this.persistThread(conversationId, response.messages);
  }

  /**
   * Puts a message in the outbox (shown at once as pending, stored on the device) and sends
   * it when the connection allows. Returns the problem instead when the text can never be sent.
   */
  sendMessage(
    conversationId: string,
    body: string,
  ): { ok: true; clientMsgId: string } | { ok: false; message: string } {
    const problem = checkMessageText(body, this.state.limits.maxMessageLength);
    if (problem) return { ok: false, message: problem.message };
    const pending: PendingMessage = {
      clientMsgId: randomUuid(),
      conversationId,
      body,
      createdAt: new Date().toISOString(),
      order: ++this.composed,
      status: 'sending',
    };
    this.update((state) => ({ ...state, pending: [...state.pending, pending] }));
    this.typingNotifier.stop(conversationId);
    // Stored before it is emitted: a reload or crash from here on cannot lose it.
    void this.store
      .putPending(pending)
      .catch(() => undefined)
      .then(() => this.pump(conversationId));
    return { ok: true, clientMsgId: pending.clientMsgId };
  }

  retryMessage(clientMsgId: string): void {
    const pending = this.state.pending.find((item) => item.clientMsgId === clientMsgId);
    if (!pending) return;
    this.savePending({ ...pending, status: 'sending', error: undefined });
    this.pump(pending.conversationId);
  }

  discardMessage(clientMsgId: string): void {
    this.removePending(clientMsgId);
  }

  /** The composer's keystrokes and pauses, for "… is typing". */
  typing(conversationId: string, isTyping: boolean): void {
    if (isTyping) this.typingNotifier.keystroke(conversationId);
    else this.typingNotifier.stop(conversationId);
  }

  async createGroup(
    title: string,
    usernames: string[],
  ): Promise<ActionResult<{ conversation: ConversationSummary }>> {
    return this.groupAction(ClientEvent.GroupCreate, { title, usernames });
  }

  addMembers(conversationId: string, usernames: string[]) {
    return this.groupAction(ClientEvent.GroupAddMembers, { conversationId, usernames });
  }

  removeMember(conversationId: string, userId: string) {
    return this.groupAction(ClientEvent.GroupRemoveMember, { conversationId, userId });
  }

  setRole(conversationId: string, userId: string, role: MemberRole) {
    return this.groupAction(ClientEvent.GroupSetRole, { conversationId, userId, role });
  }

  async leaveGroup(conversationId: string): Promise<ActionResult> {
    const response = await this.request(ClientEvent.GroupLeave, { conversationId });
    if (!response.ok) return { ok: false, message: response.message };
    this.forgetConversation(conversationId);
    return { ok: true };
  }

  /** No push notifications for this conversation (messages still arrive). */
  async setMuted(conversationId: string, isMuted: boolean): Promise<ActionResult> {
    const response = await this.request(ClientEvent.ConversationMute, { conversationId, isMuted });
    if (!response.ok) return { ok: false, message: response.message };
    this.updateSummary(conversationId, (item) => ({ ...item, isMuted: response.isMuted }));
    return { ok: true };
  }

  /** Loads a group's members (and their presence) into the state. */
  async loadMembers(conversationId: string): Promise<void> {
    const response = await this.request(ClientEvent.GroupMembers, { conversationId });
    if (!response.ok) return;
    this.update((state) => ({
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

  /** Asks who of these people is online (only people the user shares a conversation with). */
  async refreshPresence(userIds: string[]): Promise<void> {
    const ids = [...new Set(userIds)].filter((id) => id !== this.state.me.id);
    if (ids.length === 0 || !this.socket.connected) return;
    const response = await this.request(ClientEvent.PresenceQuery, { userIds: ids.slice(0, 500) });
    if (!response.ok) return;
    this.update((state) => ({
      ...state,
      presence: {
        ...state.presence,
        ...Object.fromEntries(response.presence.map((item) => [item.userId, item])),
      },
    }));
  }

  /** Tells the server the open conversation has been seen, when the tab is visible. */
  markActiveRead(): void {
    const conversationId = this.state.activeConversationId;
    if (!conversationId || !this.socket.connected || !this.isVisible()) return;
    const summary = this.summary(conversationId);
    const seq = this.state.threads[conversationId]?.syncedSeq ?? 0;
    if (!summary || seq <= summary.readSeq) return;
    this.updateSummary(conversationId, (item) => applyReadToSummary(item, seq));
    void this.request(ClientEvent.ConversationMarkRead, { conversationId, seq });
  }

  // ---- connection ----------------------------------------------------------------------

  private wireSocket(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      this.update((state) => ({ ...state, connection: 'online' }));
    });
    socket.on('disconnect', (reason) => {
      this.update((state) => ({ ...state, connection: socket.active ? 'connecting' : 'offline' }));
      // Answers to requests of the old connection no longer count; the next one resends.
      this.inFlight.clear();
      for (const timer of this.retryTimers.values()) clearTimeout(timer);
      this.retryTimers.clear();
      // The server closed this socket on purpose (e.g. sign-out in another tab). Connecting
      // once tells whether the session still stands; if not, connect_error ends it.
      if (reason === 'io server disconnect' && !this.isStopped) socket.connect();
    });
    socket.on('connect_error', (error) => {
      const data = (error as Error & { data?: { code?: string; retryAfterMs?: number } }).data;
      const code = data?.code;
      if (code === ErrorCode.Unauthenticated) {
        socket.disconnect();
        this.update((state) => ({ ...state, connection: 'offline', isSessionEnded: true }));
        return;
      }
      if (code === ErrorCode.RateLimited) {
        // Too many connections open (tabs, devices): the server does not take this one now.
        // socket.io does not retry a refused handshake by itself; try again after the wait
        // the server named, plus up to half of it, so that refused tabs do not come back together.
        const delay = (data?.retryAfterMs ?? RETRY_MAX_MS) * (1 + Math.random() / 2);
        clearTimeout(this.reconnectTimer);
        this.reconnectTimer = setTimeout(() => {
          this.reconnectTimer = undefined;
          if (!this.isStopped && !this.state.isSessionEnded && !socket.connected) socket.connect();
        }, delay);
        this.update((state) => ({ ...state, connection: 'connecting' }));
        return;
      }
      this.update((state) => ({ ...state, connection: socket.active ? 'connecting' : 'offline' }));
    });
    // Every connection starts with session:ready; only then is it known whose it is.
    socket.on(ServerEvent.SessionReady, ({ user, isAdmin, limits }) => {
      if (user.id !== this.state.me.id) {
        // This browser has signed into another account since (which ended this tab's
        // session): nothing of this account may be sent, or shown, as that one.
        socket.disconnect();
        this.update((state) => ({ ...state, connection: 'offline', isSessionEnded: true }));
        return;
      }
      this.update((state) => ({ ...state, me: user, isAdmin, limits }));
      void this.catchUp();
    });
    socket.on(ServerEvent.SettingsUpdated, ({ limits }) => {
      this.update((state) => ({ ...state, limits }));
    });
    socket.on(ServerEvent.PresenceUpdated, (presence) => {
      this.update((state) => ({
        ...state,
        presence: { ...state.presence, [presence.userId]: presence },
      }));
    });
    socket.on(ServerEvent.TypingUpdated, ({ conversationId, user, isTyping }) =>
      this.setTyping(conversationId, user, isTyping),
    );
    socket.on(ServerEvent.ConversationRemoved, ({ conversationId }) =>
      this.forgetConversation(conversationId),
    );
    // The server may have missed pushes for us (its Redis was down): catch up from cursors.
    socket.on(ServerEvent.SyncRequired, () => void this.syncAll());
    socket.on(ServerEvent.MessageCreated, (message) => this.receiveMessage(message));
    socket.on(ServerEvent.ReceiptUpdated, (receipt) => {
      this.updateSummary(receipt.conversationId, (item) =>
        applyReceiptToSummary(item, receipt, this.state.me.id),
      );
    });
  }

  private readonly onOnline = () => {
    if (!this.isStopped && !this.state.isSessionEnded && !this.socket.connected) {
      this.update((state) => ({ ...state, connection: 'connecting' }));
      this.socket.connect();
    }
  };

  private readonly onOffline = () => {
    this.socket.disconnect();
    this.update((state) => ({ ...state, connection: 'offline' }));
  };

  /** After every (re)connect: the outbox first, then everything beyond the cursors. */
  private async catchUp(): Promise<void> {
    await this.reloadOutbox();
    for (const conversationId of new Set(this.state.pending.map((item) => item.conversationId))) {
      this.pump(conversationId);
    }
    await this.syncAll();
  }

  // ---- sync ----------------------------------------------------------------------------

  private async hydrate(): Promise<void> {
    this.hydration ??= (async () => {
      const snapshot = await this.store.load().catch(() => null);
      if (!snapshot) return;
      this.update((state) => {
        const threads = { ...state.threads };
        for (const stored of snapshot.threads) {
          const held = threads[stored.conversationId];
          const loaded: Thread = {
            messages: stored.messages,
            oldestSeq: stored.oldestSeq,
            syncedSeq: stored.syncedSeq,
            isLoadingOlder: false,
          };
          threads[stored.conversationId] = held ? addForward(loaded, held.messages) : loaded;
        }
        const known = new Set(state.pending.map((item) => item.clientMsgId));
        return {
          ...state,
          conversations: sortConversations(
            snapshot.conversations.map(
              (cached) => state.conversations.find((item) => item.id === cached.id) ?? cached,
            ),
          ),
          threads,
          pending: [
            ...snapshot.outbox.filter((item) => !known.has(item.clientMsgId)),
            ...state.pending,
          ],
        };
      });
    })();
    return this.hydration;
  }

  /** Other tabs of this browser may have queued messages since: take them on too. */
  private async reloadOutbox(): Promise<void> {
    const outbox = await this.store.loadOutbox().catch(() => []);
    const known = new Set(this.state.pending.map((item) => item.clientMsgId));
    const added = outbox.filter((item) => !known.has(item.clientMsgId));
    if (added.length) this.update((state) => ({ ...state, pending: [...state.pending, ...added] }));
  }

  /** The list from the server, then every conversation with news beyond its cursor. */
  private async syncAll(): Promise<void> {
    const response = await this.request(ClientEvent.ConversationList, {});
    if (!response.ok) return;
    this.update((state) => ({
      ...state,
      isListLoaded: true,
      conversations: sortConversations(
        response.conversations.map((fresh) =>
          mergeSummary(
            fresh,
            state.conversations.find((item) => item.id === fresh.id),
          ),
        ),
      ),
    }));
    // Conversations this device holds are brought up to date; others only when they have
    // messages that no device of ours has received yet (to report them delivered).
    const queue = this.state.conversations
      .filter((item) => this.state.threads[item.id] || item.lastSeq > item.deliveredSeq)
      .map((item) => item.id);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        await this.syncConversation(id, true);
      }
    };
    await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
    this.markActiveRead();
    void this.refreshPresence(
      this.state.conversations.flatMap((item) => (item.peer ? [item.peer.id] : [])),
    );
    for (const conversationId of Object.keys(this.state.members))
      void this.loadMembers(conversationId);
  }

  /**
   * Brings one conversation up to date; a call during a run makes it run once more. A
   * conversation the device does not hold yet starts from its newest page.
   */
  private syncConversation(conversationId: string, startHolding = false): Promise<void> {
    if (!startHolding && !this.state.threads[conversationId]) return Promise.resolve();
    const running = this.syncRuns.get(conversationId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const run = { again: false, done: Promise.resolve() };
    run.done = (async () => {
      try {
        do {
          run.again = false;
          await this.syncOnce(conversationId);
        } while (run.again && this.socket.connected);
      } finally {
        this.syncRuns.delete(conversationId);
      }
    })();
    this.syncRuns.set(conversationId, run);
    return run.done;
  }

  private async syncOnce(conversationId: string): Promise<void> {
    if (!this.state.threads[conversationId]) {
      const page = await this.request(ClientEvent.MessageHistory, {
        conversationId,
        limit: NEWEST_PAGE,
      });
      if (!page.ok) return;
      this.update((state) => {
        const held = state.threads[conversationId];
        const fresh = threadFromNewestPage(page);
        return {
          ...state,
          threads: {
            ...state.threads,
            [conversationId]: held ? addForward(held, page.messages) : fresh,
          },
        };
      });
      this.persistThread(conversationId, page.messages);
    }
    for (;;) {
      const thread = this.state.threads[conversationId];
      const lastSeq = this.summary(conversationId)?.lastSeq ?? Infinity;
      if (!thread || thread.syncedSeq >= lastSeq) break;
      const page = await this.request(ClientEvent.MessageHistory, {
        conversationId,
        afterSeq: thread.syncedSeq,
        limit: SYNC_PAGE,
      });
      if (!page.ok) return;
      for (const message of page.messages) this.applyToSummary(message);
      this.patchThread(conversationId, (current) => addForward(current, page.messages));
      this.persistThread(conversationId, page.messages);
      if (!page.hasMore || page.messages.length === 0) break;
    }
    this.scheduleDeliveryReport(conversationId);
  }

  private receiveMessage(message: Message): void {
    const { conversationId } = message;
    // One of ours, from this tab or another device: it is no longer pending.
    if (message.senderId === this.state.me.id) this.removePending(message.clientMsgId);
    const isKnown = this.summary(conversationId) !== undefined;
    this.applyToSummary(message);
    const thread = this.state.threads[conversationId];
    if (thread) {
      const next = addForward(thread, [message]);
      this.patchThread(conversationId, () => next);
      this.persistThread(conversationId, [message]);
      // A seq beyond the cursor means something was missed: fetch what lies between.
      if (next.syncedSeq < message.seq) void this.syncConversation(conversationId);
      else this.scheduleDeliveryReport(conversationId);
    } else {
      // The first message this device sees of the conversation: hold it from now on.
      void this.syncConversation(conversationId, true);
    }
    // A message ends its sender's "typing"; a change of members changes the summary.
    this.setTyping(
      conversationId,
      { id: message.senderId, username: message.senderUsername },
      false,
    );
    if (!isKnown || message.kind === 'system') void this.fetchConversation(conversationId);
    if (message.kind === 'system' && this.state.members[conversationId])
      void this.loadMembers(conversationId);
    if (conversationId === this.state.activeConversationId) this.markActiveRead();
  }

  private setTyping(conversationId: string, user: UserSummary, isTyping: boolean): void {
    const key = `${conversationId}:${user.id}`;
    clearTimeout(this.typingTimers.get(key));
    this.typingTimers.delete(key);
    const until = isTyping ? Date.now() + TYPING_EXPIRES_MS : null;
    const typing = applyTyping(this.state.typing, conversationId, user, until);
    if (typing !== this.state.typing) this.update((state) => ({ ...state, typing }));
    // A "stopped" that never comes (a lost packet) must not leave the indicator on.
    if (isTyping) {
      this.typingTimers.set(
        key,
        setTimeout(() => this.setTyping(conversationId, user, false), TYPING_EXPIRES_MS),
      );
    }
  }

  /** The user is no longer in this conversation: nothing of it stays on the device. */
  private forgetConversation(conversationId: string): void {
    for (const item of this.state.pending) {
      if (item.conversationId === conversationId)
        void this.store.deletePending(item.clientMsgId).catch(() => undefined);
    }
    this.update((state) => {
      const threads = { ...state.threads };
      delete threads[conversationId];
      const members = { ...state.members };
      delete members[conversationId];
      return {
        ...state,
        threads,
        members,
        conversations: state.conversations.filter((item) => item.id !== conversationId),
        pending: state.pending.filter((item) => item.conversationId !== conversationId),
      };
    });
    void this.store.deleteThread(conversationId).catch(() => undefined);
  }

  private async groupAction<
    E extends
      | typeof ClientEvent.GroupCreate
      | typeof ClientEvent.GroupAddMembers
      | typeof ClientEvent.GroupRemoveMember
      | typeof ClientEvent.GroupSetRole,
  >(
    event: E,
    payload: ClientEventPayload<E>,
  ): Promise<ActionResult<{ conversation: ConversationSummary }>> {
    const response = (await this.request(event, payload)) as RequestResult<
      typeof ClientEvent.GroupCreate
    >;
    if (!response.ok) return { ok: false, message: response.message };
    this.upsertSummary(response.conversation);
    if (this.state.members[response.conversation.id])
      void this.loadMembers(response.conversation.id);
    return { ok: true, conversation: response.conversation };
  }

  private async fetchConversation(conversationId: string): Promise<void> {
    const response = await this.request(ClientEvent.ConversationGet, { conversationId });
    if (!response.ok) return;
    this.upsertSummary(response.conversation);
    // The summary may show messages beyond what the device has: fetch them.
    await this.syncConversation(conversationId);
  }

  private scheduleDeliveryReport(conversationId: string): void {
    if (this.deliveryTimers.has(conversationId)) return;
    this.deliveryTimers.set(
      conversationId,
      setTimeout(
        () => {
          this.deliveryTimers.delete(conversationId);
          void this.reportDelivery(conversationId);
        },
        // A burst is reported once; big groups wait longer (protocol/limits.ts).
        deliveryReportDelayMs(this.summary(conversationId)?.memberCount ?? 2),
      ),
    );
  }

  /** Two ticks mean a device has the message: report only what this device has stored. */
  private async reportDelivery(conversationId: string): Promise<void> {
    await this.writes.get(conversationId);
    const seq = this.state.threads[conversationId]?.syncedSeq ?? 0;
    const summary = this.summary(conversationId);
    if (!summary || seq <= summary.deliveredSeq || !this.socket.connected) return;
    const response = await this.request(ClientEvent.ConversationMarkDelivered, {
      conversationId,
      seq,
    });
    if (!response.ok) return;
    this.updateSummary(conversationId, (item) => ({
      ...item,
      deliveredSeq: Math.max(item.deliveredSeq, response.deliveredSeq),
    }));
  }

  // ---- the outbox ----------------------------------------------------------------------

  /** Sends the next queued message of a conversation, unless one is in flight or waiting. */
  private pump(conversationId: string): void {
    if (!this.socket.connected) return;
    if (this.inFlight.has(conversationId) || this.retryTimers.has(conversationId)) return;
    const next = this.state.pending.find(
      (item) => item.conversationId === conversationId && item.status === 'sending',
    );
    if (!next) return;
    const attempt = ++this.attempts;
    this.inFlight.set(conversationId, { clientMsgId: next.clientMsgId, attempt });
    void this.request(ClientEvent.MessageSend, {
      conversationId,
      clientMsgId: next.clientMsgId,
      body: next.body,
    }).then((response) => this.onSendResult(next, attempt, response));
  }

  private onSendResult(
    sent: PendingMessage,
    attempt: number,
    response: RequestResult<typeof ClientEvent.MessageSend>,
  ): void {
    const { conversationId, clientMsgId } = sent;
    const isCurrent = this.inFlight.get(conversationId)?.attempt === attempt;
    if (isCurrent) this.inFlight.delete(conversationId);
    if (response.ok) {
      // Even a late answer to an earlier attempt settles the message: it is stored.
      this.retryCounts.delete(clientMsgId);
      if (this.state.sendingPausedUntil !== null) {
        this.update((state) => ({ ...state, sendingPausedUntil: null }));
      }
      this.onAcknowledged?.(response.message);
      this.receiveMessage(response.message);
      this.pump(conversationId);
      return;
    }
    if (!isCurrent) return;
    const pending = this.state.pending.find((item) => item.clientMsgId === clientMsgId);
    if (!pending) return;
    if (!RETRYABLE.has(response.code)) {
      this.savePending({ ...pending, status: 'failed', error: response.message });
      this.pump(conversationId);
      return;
    }
    const retries = (this.retryCounts.get(clientMsgId) ?? 0) + 1;
    this.retryCounts.set(clientMsgId, retries);
    const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (retries - 1));
    const delay =
      'retryAfterMs' in response && response.retryAfterMs
        ? response.retryAfterMs
        : backoff * (0.5 + Math.random());
    if (response.code === ErrorCode.RateLimited) {
      // The message stays in the outbox and goes out after the wait; the composer says so.
      const until = Date.now() + delay;
      this.update((state) => ({
        ...state,
        sendingPausedUntil: Math.max(state.sendingPausedUntil ?? 0, until),
      }));
    }
    this.retryTimers.set(
      conversationId,
      setTimeout(() => {
        this.retryTimers.delete(conversationId);
        this.pump(conversationId);
      }, delay),
    );
  }

  private savePending(message: PendingMessage): void {
    this.update((state) => ({
      ...state,
      pending: state.pending.map((item) =>
        item.clientMsgId === message.clientMsgId ? message : item,
      ),
    }));
    void this.store.putPending(message).catch(() => undefined);
  }

  private removePending(clientMsgId: string): void {
    if (!this.state.pending.some((item) => item.clientMsgId === clientMsgId)) return;
    this.update((state) => ({
      ...state,
      pending: state.pending.filter((item) => item.clientMsgId !== clientMsgId),
    }));
    void this.store.deletePending(clientMsgId).catch(() => undefined);
  }

  // ---- plumbing ------------------------------------------------------------------------

  private request<E extends ClientEventName>(
    event: E,
    payload: ClientEventPayload<E>,
  ): Promise<RequestResult<E>> {
    // socket.io-client's types cannot express "the ack of event E" through timeout().
    const timed = this.socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
      emit(name: E, data: unknown, ack: (error: Error | null, response: unknown) => void): void;
    };
    return new Promise((resolve) => {
      timed.emit(event, payload, (error, response) => {
        resolve(
          error
            ? { ok: false, code: 'TIMEOUT', message: 'The server did not answer in time.' }
            : (response as ClientEventAck<E>),
        );
      });
    });
  }

  private summary(conversationId: string): ConversationSummary | undefined {
    return this.state.conversations.find((item) => item.id === conversationId);
  }

  private applyToSummary(message: Message): void {
    this.update((state) => ({
      ...state,
      conversations: sortConversations(
        state.conversations.map((item) =>
          item.id === message.conversationId
            ? applyMessageToSummary(item, message, state.me.id)
            : item,
        ),
      ),
    }));
  }

  private upsertSummary(summary: ConversationSummary): void {
    // A new person to chat with: whether they are online comes with them.
    if (summary.peer && !this.state.presence[summary.peer.id])
      void this.refreshPresence([summary.peer.id]);
    this.update((state) => ({
      ...state,
      conversations: replaceConversation(
        state.conversations,
        mergeSummary(
          summary,
          state.conversations.find((item) => item.id === summary.id),
        ),
      ),
    }));
  }

  private updateSummary(
    conversationId: string,
    change: (summary: ConversationSummary) => ConversationSummary,
  ): void {
    this.update((state) => ({
      ...state,
      conversations: state.conversations.map((item) =>
        item.id === conversationId ? change(item) : item,
      ),
    }));
  }

  private patchThread(conversationId: string, change: (thread: Thread) => Thread): void {
    this.update((state) => {
      const thread = state.threads[conversationId];
      if (!thread) return state;
      const next = change(thread);
      return next === thread
        ? state
        : { ...state, threads: { ...state.threads, [conversationId]: next } };
    });
  }

  /** Stores new messages with the thread's cursor, in order per conversation. */
  private persistThread(conversationId: string, messages: Message[]): void {
    const thread = this.state.threads[conversationId];
    if (!thread) return;
    const cursor = { conversationId, oldestSeq: thread.oldestSeq, syncedSeq: thread.syncedSeq };
    const previous = this.writes.get(conversationId) ?? Promise.resolve();
    const write = previous
      .then(() => this.store.saveThread(cursor, messages))
      .catch(() => undefined);
    this.writes.set(conversationId, write);
    void write.then(() => {
      if (this.writes.get(conversationId) === write) this.writes.delete(conversationId);
    });
  }

  private update(change: (state: ChatState) => ChatState): void {
    const next = change(this.state);
    if (next === this.state) return;
    const listChanged = next.conversations !== this.state.conversations;
    this.state = next;
    if (listChanged) this.persistListSoon();
    for (const listener of this.listeners) listener();
  }

  private persistListSoon(): void {
    if (this.listWrite) return;
    this.listWrite = setTimeout(() => {
      this.listWrite = undefined;
      void this.store.saveConversations(this.state.conversations).catch(() => undefined);
    }, 300);
  }
}
