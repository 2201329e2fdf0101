// The one place in the browser that owns the socket: connection state, the conversation list,
// loaded history and the outbox. React reads it through hooks/use-chat.tsx; nothing else emits.

import { io, type Socket } from 'socket.io-client';
import {
  checkMessageText,
  ClientEvent,
  ErrorCode,
  MESSAGE_MAX_CODE_POINTS,
  ServerEvent,
  type ClientEventAck,
  type ClientEventName,
  type ClientEventPayload,
  type ClientToServerEvents,
  type ConversationSummary,
  type Message,
  type ServerToClientEvents,
  type UserSummary,
} from '../protocol';
import {
  applyMessageToSummary,
  applyReadToSummary,
  EMPTY_THREAD,
  mergeMessages,
  replaceConversation,
  sortConversations,
  type ChatState,
  type PendingMessage,
  type Thread,
} from './chat-state';
import { randomUuid } from './random-uuid';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A request that never reached an answer: the connection dropped or the server was too slow. */
export interface TransportFailure {
  ok: false;
  code: 'TIMEOUT';
  message: string;
}

export type RequestResult<E extends ClientEventName> = ClientEventAck<E> | TransportFailure;

const REQUEST_TIMEOUT_MS = 10_000;
const HISTORY_PAGE = 50;
/** Failures worth retrying on their own: the server or the network, not the message. */
const RETRYABLE = new Set<string>(['TIMEOUT', ErrorCode.Internal, ErrorCode.RateLimited]);

export interface ChatClientOptions {
  /** Server URL; the page's own origin when omitted. */
  url?: string;
}

export class ChatClient {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private readonly socket: ClientSocket;
  /** Conversations with a send in flight: one at a time each, so they are stored in order. */
  private readonly sendingIn = new Set<string>();
  /** Bumped on every disconnect, so that late answers from an old connection are ignored. */
  private connectionRound = 0;

  constructor(me: UserSummary, options: ChatClientOptions = {}) {
    this.state = {
      connection: 'connecting',
      me,
      limits: { maxMessageLength: MESSAGE_MAX_CODE_POINTS },
      conversations: [],
      isListLoaded: false,
      threads: {},
      pending: [],
      activeConversationId: null,
      isSessionEnded: false,
    };
    // Exponential backoff with jitter (socket.io-client's randomizationFactor), capped, so a
    // restarted server is not hit by every client in the same second.
    this.socket = io(options.url ?? '', {
      autoConnect: false,
      withCredentials: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
    });
    this.wireSocket();
  }

  start(): void {
    this.socket.connect();
  }

  stop(): void {
    this.socket.disconnect();
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
    this.update((state) => ({
      ...state,
      conversations: replaceConversation(state.conversations, response.conversation),
    }));
    return { ok: true, conversation: response.conversation };
  }

  /** Marks the conversation as the one on screen and loads its newest messages once. */
  openConversation(conversationId: string | null): void {
    this.update((state) => ({ ...state, activeConversationId: conversationId }));
    if (!conversationId) return;
    if (!this.thread(conversationId).isLoaded) void this.loadNewest(conversationId);
    this.markActiveRead();
  }

  async loadOlder(conversationId: string): Promise<void> {
    const thread = this.thread(conversationId);
    const oldest = thread.messages[0];
    if (!thread.isLoaded || thread.isLoadingOlder || !thread.hasMoreBefore || !oldest) return;
    this.patchThread(conversationId, { isLoadingOlder: true });
    const response = await this.request(ClientEvent.MessageHistory, {
      conversationId,
      beforeSeq: oldest.seq,
      limit: HISTORY_PAGE,
    });
    const current = this.thread(conversationId);
    this.patchThread(conversationId, {
      isLoadingOlder: false,
      ...(response.ok
        ? {
            messages: mergeMessages(current.messages, response.messages),
            hasMoreBefore: response.hasMore,
          }
        : {}),
    });
  }

  /**
   * Queues a message and sends it when the connection allows. Returns a problem the composer
   * should show instead, when the text can never be sent.
   */
  sendMessage(conversationId: string, body: string): { ok: true } | { ok: false; message: string } {
    const problem = checkMessageText(body, this.state.limits.maxMessageLength);
    if (problem) return { ok: false, message: problem.message };
    const pending: PendingMessage = {
      clientMsgId: randomUuid(),
      conversationId,
      body,
      createdAt: new Date().toISOString(),
      status: 'sending',
    };
    this.update((state) => ({ ...state, pending: [...state.pending, pending] }));
    this.pump(conversationId);
    return { ok: true };
  }

  retryMessage(clientMsgId: string): void {
    const pending = this.state.pending.find((item) => item.clientMsgId === clientMsgId);
    if (!pending) return;
    this.patchPending(clientMsgId, { status: 'sending', error: undefined });
    this.pump(pending.conversationId);
  }

  discardMessage(clientMsgId: string): void {
    this.update((state) => ({
      ...state,
      pending: state.pending.filter((item) => item.clientMsgId !== clientMsgId),
    }));
  }

  /** Tells the server the open conversation has been seen, when the page is visible. */
  markActiveRead(): void {
    const conversationId = this.state.activeConversationId;
    if (!conversationId || !this.socket.connected) return;
    if (typeof document !== 'undefined' && document.visibilityState !== 'visible') return;
    const summary = this.state.conversations.find((item) => item.id === conversationId);
    const newest = this.thread(conversationId).messages.at(-1)?.seq ?? 0;
    const seq = Math.max(newest, summary?.lastSeq ?? 0);
    if (!summary || seq <= summary.readSeq) return;
    this.updateSummary(conversationId, (item) => applyReadToSummary(item, seq));
    void this.request(ClientEvent.ConversationMarkRead, { conversationId, seq });
  }

  // ---- socket events -------------------------------------------------------------------

  private wireSocket(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      this.update((state) => ({ ...state, connection: 'online' }));
      void this.catchUp();
    });
    socket.on('disconnect', (reason) => {
      this.update((state) => ({ ...state, connection: socket.active ? 'connecting' : 'offline' }));
      this.connectionRound++;
      this.sendingIn.clear();
      // The server closed this socket on purpose, e.g. sign-out in another tab. Reconnecting
      // once tells whether the session is still good; if not, connect_error ends it.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error) => {
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code === ErrorCode.Unauthenticated) {
        socket.disconnect();
        this.update((state) => ({ ...state, connection: 'offline', isSessionEnded: true }));
        return;
      }
      this.update((state) => ({ ...state, connection: socket.active ? 'connecting' : 'offline' }));
    });
    socket.on(ServerEvent.SessionReady, ({ user, limits }) => {
      this.update((state) => ({ ...state, me: user, limits }));
    });
    socket.on(ServerEvent.MessageCreated, (message) => this.receiveMessage(message));
    socket.on(ServerEvent.ReceiptUpdated, (receipt) => {
      if (receipt.userId !== this.state.me.id) return;
      this.updateSummary(receipt.conversationId, (item) =>
        applyReadToSummary(item, receipt.readSeq),
      );
    });
  }

  /** After (re)connecting: fresh list, fresh open conversation, then the outbox. */
  private async catchUp(): Promise<void> {
    // Threads not on screen may have missed messages while offline: drop them so they are
    // fetched again when opened. (Cursor-based sync replaces this in the delivery protocol.)
    this.update((state) => ({
      ...state,
      threads: state.activeConversationId
        ? { [state.activeConversationId]: this.thread(state.activeConversationId) }
        : {},
    }));
    const active = this.state.activeConversationId;
    await Promise.all([this.loadConversations(), active ? this.loadNewest(active) : null]);
    this.markActiveRead();
    for (const conversationId of new Set(this.state.pending.map((item) => item.conversationId))) {
      this.pump(conversationId);
    }
  }

  private async loadConversations(): Promise<void> {
    const response = await this.request(ClientEvent.ConversationList, {});
    if (!response.ok) return;
    this.update((state) => ({
      ...state,
      conversations: response.conversations,
      isListLoaded: true,
    }));
  }

  private async loadNewest(conversationId: string): Promise<void> {
    const response = await this.request(ClientEvent.MessageHistory, {
      conversationId,
      limit: HISTORY_PAGE,
    });
    if (!response.ok) return;
    const current = this.thread(conversationId);
    const oldestNew = response.messages[0]?.seq ?? 0;
    const newestHeld = current.messages.at(-1)?.seq ?? 0;
    // Keep what is held only if the new page joins it without a hole in between.
    const joins = current.messages.length > 0 && newestHeld >= oldestNew - 1;
    this.patchThread(conversationId, {
      isLoaded: true,
      messages: joins ? mergeMessages(current.messages, response.messages) : response.messages,
      hasMoreBefore: joins ? current.hasMoreBefore : response.hasMore,
    });
    this.markActiveRead();
  }

  private receiveMessage(message: Message): void {
    const isKnown = this.state.conversations.some((item) => item.id === message.conversationId);
    this.update((state) => {
      const thread = state.threads[message.conversationId];
      return {
        ...state,
        // Our own message, sent from this device or another: it is no longer pending.
        pending: state.pending.filter((item) => item.clientMsgId !== message.clientMsgId),
        threads: thread?.isLoaded
          ? {
              ...state.threads,
              [message.conversationId]: {
                ...thread,
                messages: mergeMessages(thread.messages, [message]),
              },
            }
          : state.threads,
        conversations: sortConversations(
          state.conversations.map((item) =>
            item.id === message.conversationId
              ? applyMessageToSummary(item, message, state.me.id)
              : item,
          ),
        ),
      };
    });
    if (!isKnown) void this.fetchConversation(message.conversationId);
    if (message.conversationId === this.state.activeConversationId) this.markActiveRead();
  }

  private async fetchConversation(conversationId: string): Promise<void> {
    const response = await this.request(ClientEvent.ConversationGet, { conversationId });
    if (!response.ok) return;
    this.update((state) => ({
      ...state,
      conversations: replaceConversation(state.conversations, response.conversation),
    }));
  }

  // ---- the outbox ----------------------------------------------------------------------

  /** Sends the next queued message of a conversation, if none is in flight. */
  private pump(conversationId: string): void {
    if (!this.socket.connected || this.sendingIn.has(conversationId)) return;
    const next = this.state.pending.find(
      (item) => item.conversationId === conversationId && item.status === 'sending',
    );
    if (!next) return;
    this.sendingIn.add(conversationId);
    const round = this.connectionRound;
    void this.request(ClientEvent.MessageSend, {
      conversationId,
      clientMsgId: next.clientMsgId,
      body: next.body,
    }).then((response) => {
      // A reconnect in between started a new round; this answer belongs to the old one.
      if (round !== this.connectionRound) return;
      this.sendingIn.delete(conversationId);
      if (response.ok) {
        this.receiveMessage(response.message);
      } else if (!RETRYABLE.has(response.code)) {
        this.patchPending(next.clientMsgId, { status: 'failed', error: response.message });
      } else {
        // Keep it queued; try again shortly (or on reconnect, whichever comes first).
        const delay =
          'retryAfterMs' in response && response.retryAfterMs ? response.retryAfterMs : 2_000;
        setTimeout(() => this.pump(conversationId), delay);
        return;
      }
      this.pump(conversationId);
    });
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

  private thread(conversationId: string): Thread {
    return this.state.threads[conversationId] ?? EMPTY_THREAD;
  }

  private patchThread(conversationId: string, patch: Partial<Thread>): void {
    this.update((state) => ({
      ...state,
      threads: { ...state.threads, [conversationId]: { ...this.thread(conversationId), ...patch } },
    }));
  }

  private patchPending(clientMsgId: string, patch: Partial<PendingMessage>): void {
    this.update((state) => ({
      ...state,
      pending: state.pending.map((item) =>
        item.clientMsgId === clientMsgId ? { ...item, ...patch } : item,
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

  private update(change: (state: ChatState) => ChatState): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
