// Messages composed on this device that the server has not acknowledged yet. Each is stored
// on the device before it is sent; one is in flight per conversation, so that messages are
// stored in the order they were written; unanswered sends are retried with the same
// clientMsgId (backoff with jitter, or the wait the server names) until an ack arrives.

import { checkMessageText, ClientEvent, ErrorCode, type Message } from '../../protocol';
import type { PendingMessage } from '../chat-state';
import { compareOutbox, type DeviceStore } from '../device-store';
import { randomUuid } from '../random-uuid';
import { patch, update, type ChatStore } from './store';
import type { Request, RequestResult } from './transport';

/** Failures worth retrying: the server or the network, not the message itself. */
const RETRYABLE = new Set<string>([
  'TIMEOUT',
  ErrorCode.Internal,
  ErrorCode.RateLimited,
  ErrorCode.Unavailable,
]);
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 15_000;

type SendFailure = Exclude<RequestResult<typeof ClientEvent.MessageSend>, { ok: true }>;

export function isRetryable(failure: { code: string }): boolean {
  return RETRYABLE.has(failure.code);
}

/**
 * How long to wait before the `retries`-th retry: the wait the server named, or 1 s doubling
 * to 15 s, times a random factor from 0.5 to 1.5 so that clients refused together spread out.
 */
export function retryDelayMs(
  retries: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs) return retryAfterMs;
  const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (retries - 1));
  return backoff * (0.5 + random());
}

export interface OutboxOptions {
  request: Request;
  isConnected: () => boolean;
  store: ChatStore;
  device: DeviceStore;
  /** The server stored one of these messages (a late ack of an earlier attempt included). */
  onStored: (message: Message) => void;
}

export class Outbox {
  /** The send in flight per conversation: one at a time, so messages are stored in order. */
  private readonly inFlight = new Map<string, { clientMsgId: string; attempt: number }>();
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly retryCounts = new Map<string, number>();
  private attempts = 0;
  private composed = 0;

  constructor(private readonly options: OutboxOptions) {}

  /**
   * Puts a message in the outbox (stored on the device, then shown as pending) and sends
   * it when the connection allows. Returns the problem instead when the text can never be sent.
   * `replyToSeq`: the message it answers; kept with it, so an offline reply survives a reload.
   */
  compose(
    conversationId: string,
    body: string,
    replyToSeq?: number,
  ): { ok: true; clientMsgId: string } | { ok: false; message: string } {
    const { store, device } = this.options;
    const problem = checkMessageText(body, store.getState().limits.maxMessageLength);
    if (problem) return { ok: false, message: problem.message };
    const pending: PendingMessage = {
      clientMsgId: randomUuid(),
      conversationId,
      body,
      createdAt: new Date().toISOString(),
      order: ++this.composed,
      status: 'sending',
      ...(replyToSeq !== undefined && { replyToSeq }),
    };
    // Stored on the device before it is shown or emitted: once the page shows it as not sent
    // yet, a reload or crash cannot lose it (a write still on its way when the page goes is
    // lost with it). The write takes milliseconds; a device that cannot store shows it anyway.
    void device
      .putPending(pending)
      .catch(() => undefined)
      .then(() => {
        update(store, (state) => ({
          ...state,
          pending: [...state.pending, pending].sort(compareOutbox),
        }));
        this.pump(conversationId);
      });
    return { ok: true, clientMsgId: pending.clientMsgId };
  }

  retry(clientMsgId: string): void {
    const pending = this.find(clientMsgId);
    if (!pending) return;
    this.save({ ...pending, status: 'sending', error: undefined });
    this.pump(pending.conversationId);
  }

  /**
   * Gone from the outbox: sent (seen stored, from any tab), discarded, or no longer wanted.
   * False when it was not there.
   */
  remove(clientMsgId: string): boolean {
    if (!this.find(clientMsgId)) return false;
    update(this.options.store, (state) => ({
      ...state,
      pending: state.pending.filter((item) => item.clientMsgId !== clientMsgId),
    }));
    void this.options.device.deletePending(clientMsgId).catch(() => undefined);
    return true;
  }

  /** Takes on messages stored by an earlier page load or by other tabs; keeps composed order. */
  adopt(stored: PendingMessage[]): void {
    update(this.options.store, (state) => {
      const known = new Set(state.pending.map((item) => item.clientMsgId));
      const added = stored.filter((item) => !known.has(item.clientMsgId));
      if (added.length === 0) return state;
      return { ...state, pending: [...state.pending, ...added].sort(compareOutbox) };
    });
  }

  /** After a connect: other tabs may have queued messages since; then everything goes out. */
  async resume(): Promise<void> {
    this.adopt(await this.options.device.loadOutbox().catch(() => []));
    const conversations = new Set(
      this.options.store.getState().pending.map((item) => item.conversationId),
    );
    for (const conversationId of conversations) this.pump(conversationId);
  }

  /** Answers to requests of the old connection no longer count; the next one resends. */
  onDisconnected(): void {
    this.inFlight.clear();
    this.clearRetryTimers();
  }

  /** The user is no longer in the conversation: its unsent messages go too. */
  forget(conversationId: string): void {
    const { store, device } = this.options;
    for (const item of store.getState().pending) {
      if (item.conversationId === conversationId)
        void device.deletePending(item.clientMsgId).catch(() => undefined);
    }
    clearTimeout(this.retryTimers.get(conversationId));
    this.retryTimers.delete(conversationId);
  }

  stop(): void {
    this.clearRetryTimers();
  }

  /** Sends the next queued message of a conversation, unless one is in flight or waiting. */
  private pump(conversationId: string): void {
    if (!this.options.isConnected()) return;
    if (this.inFlight.has(conversationId) || this.retryTimers.has(conversationId)) return;
    const next = this.options.store
      .getState()
      .pending.find((item) => item.conversationId === conversationId && item.status === 'sending');
    if (!next) return;
    const attempt = ++this.attempts;
    this.inFlight.set(conversationId, { clientMsgId: next.clientMsgId, attempt });
    void this.options
      .request(ClientEvent.MessageSend, {
        conversationId,
        clientMsgId: next.clientMsgId,
        body: next.body,
        ...(next.replyToSeq !== undefined && { replyToSeq: next.replyToSeq }),
      })
      .then((response) => this.onSendResult(next, attempt, response));
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
      patch(this.options.store, { sendingPausedUntil: null, isWaitingForServer: false });
      this.remove(clientMsgId);
      this.options.onStored(response.message);
      this.pump(conversationId);
      return;
    }
    if (!isCurrent) return;
    const pending = this.find(clientMsgId);
    if (!pending) return;
    if (!isRetryable(response)) {
      this.save({ ...pending, status: 'failed', error: response.message });
      this.pump(conversationId);
      return;
    }
    this.scheduleRetry(conversationId, clientMsgId, response);
  }

  private scheduleRetry(conversationId: string, clientMsgId: string, failure: SendFailure): void {
    const retries = (this.retryCounts.get(clientMsgId) ?? 0) + 1;
    this.retryCounts.set(clientMsgId, retries);
    const retryAfterMs = 'retryAfterMs' in failure ? failure.retryAfterMs : undefined;
    // While the database is away the server names a short wait; backing off past it keeps
    // every client from knocking at once for the whole outage.
    const delay =
      failure.code === ErrorCode.Unavailable
        ? Math.max(retryAfterMs ?? 0, retryDelayMs(retries, undefined))
        : retryDelayMs(retries, retryAfterMs);
    if (failure.code === ErrorCode.Unavailable) {
      patch(this.options.store, { isWaitingForServer: true });
    }
    if (failure.code === ErrorCode.RateLimited) {
      // The message stays in the outbox and goes out after the wait; the composer says so.
      const until = Date.now() + delay;
      update(this.options.store, (state) => ({
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

  private find(clientMsgId: string): PendingMessage | undefined {
    return this.options.store.getState().pending.find((item) => item.clientMsgId === clientMsgId);
  }

  private save(message: PendingMessage): void {
    update(this.options.store, (state) => ({
      ...state,
      pending: state.pending.map((item) =>
        item.clientMsgId === message.clientMsgId ? message : item,
      ),
    }));
    void this.options.device.putPending(message).catch(() => undefined);
  }

  private clearRetryTimers(): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
  }
}
