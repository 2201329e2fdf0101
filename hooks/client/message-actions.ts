// What a person does to messages already sent: edit, delete (for everyone or for themselves),
// react, forward, and bring a quoted message onto the screen. Each answer carries the message
// as it is now, applied like a pushed change (hooks/client/sync.ts, receiveChanges), so the
// acting device follows the same change cursor as every other. Replies are sends, and go
// through the outbox.

import {
  checkMessageText,
  ClientEvent,
  type ClientEventName,
  type ClientEventPayload,
  type Message,
} from '../../protocol';
import { randomUuid } from '../random-uuid';
import type { ActionResult } from './commands';
import type { HeldThreads } from './held-threads';
import { isRetryable, retryDelayMs } from './outbox';
import type { ChatStore } from './store';
import type { ConversationSync } from './sync';
import type { Request, RequestResult } from './transport';

/** An unanswered action is tried this often in all, with the outbox's backoff between. */
const ATTEMPTS = 4;

export interface MessageActionsOptions {
  request: Request;
  store: ChatStore;
  sync: ConversationSync;
  threads: HeldThreads;
  /** A forwarded copy the server stored: handled like an acknowledged send. */
  onStored: (message: Message) => void;
}

export class MessageActions {
  constructor(private readonly options: MessageActionsOptions) {}

  /** New text for one of the viewer's messages; checked like a send before it goes. */
  async edit(conversationId: string, seq: number, body: string): Promise<ActionResult> {
    const problem = checkMessageText(body, this.options.store.getState().limits.maxMessageLength);
    if (problem) return { ok: false, message: problem.message };
    // One id for this edit and all of its retries: the server applies it once.
    const clientEditId = randomUuid();
    const response = await this.persistently(ClientEvent.MessageEdit, {
      conversationId,
      seq,
      body,
      clientEditId,
    });
    if (!response.ok) return { ok: false, message: response.message };
    this.acceptChanged(response.message);
    return { ok: true };
  }

  async delete(
    conversationId: string,
    seq: number,
    scope: 'everyone' | 'me',
  ): Promise<ActionResult> {
    const response = await this.persistently(ClientEvent.MessageDelete, {
      conversationId,
      seq,
      for: scope,
    });
    if (!response.ok) return { ok: false, message: response.message };
    if (response.message) this.acceptChanged(response.message);
    else this.hideHere(conversationId, (held) => held === seq);
    return { ok: true };
  }

  /** One emoji, replacing the viewer's earlier one; null takes it away. */
  async react(conversationId: string, seq: number, emoji: string | null): Promise<ActionResult> {
    const response = await this.persistently(ClientEvent.MessageReact, {
      conversationId,
      seq,
      emoji,
    });
    if (!response.ok) return { ok: false, message: response.message };
    this.acceptChanged(response.message);
    return { ok: true };
  }

  /**
   * Copies messages into other conversations as new messages marked forwarded. Every copy has
   * its own clientMsgId, the same on every retry, so that none is stored twice. Answers the
   * copies as stored, target by target.
   */
  async forward(
    conversationId: string,
    seqs: number[],
    targetIds: string[],
  ): Promise<ActionResult<{ copies: Message[] }>> {
    const targets = targetIds.map((targetId) => ({
      conversationId: targetId,
      clientMsgIds: seqs.map(() => randomUuid()),
    }));
    const response = await this.persistently(ClientEvent.MessageForward, {
      conversationId,
      seqs,
      targets,
    });
    if (!response.ok) return { ok: false, message: response.message };
    const copies = response.forwarded.flatMap((target) => target.messages);
    for (const message of copies) this.options.onStored(message);
    return { ok: true, copies };
  }

  /** Makes sure a message is held, loading the history around it when it is not yet. */
  async showMessage(conversationId: string, seq: number): Promise<boolean> {
    return this.options.threads.loadAround(conversationId, seq, this.options.request);
  }

  /** The acting device gets no push of its own change: the answer stands for it. */
  private acceptChanged(message: Message): void {
    const changeSeq = message.changeSeq ?? 0;
    this.options.sync.receiveChanges({
      conversationId: message.conversationId,
      messages: [message],
      changeSeq,
      previousChangeSeq: changeSeq - 1,
    });
  }

  /**
   * "Clear chat": every message the viewer sees in the conversation is hidden for them, on all
   * their devices (the others keep theirs). What this device holds goes at once.
   */
  async clear(conversationId: string): Promise<ActionResult> {
    const response = await this.persistently(ClientEvent.ConversationClear, { conversationId });
    if (!response.ok) return { ok: false, message: response.message };
    this.hideHere(conversationId, (seq) => seq <= response.upToSeq);
    return { ok: true };
  }

  /**
   * Messages hidden for the viewer alone are answered without their new state: they are hidden
   * here now, and the changes (which took change seqs beyond this device's cursor) are fetched.
   */
  private hideHere(conversationId: string, isHidden: (seq: number) => boolean): void {
    const { store, threads, sync } = this.options;
    const cursor = threads.changeCursorOf(conversationId);
    if (cursor === undefined) return;
    const held = store.getState().threads[conversationId]?.messages ?? [];
    const hidden: Message[] = held
      .filter((message) => isHidden(message.seq) && !message.isHidden)
      .map((message) => ({
        id: message.id,
        conversationId,
        seq: message.seq,
        senderId: message.senderId,
        senderUsername: message.senderUsername,
        clientMsgId: message.clientMsgId,
        kind: message.kind,
        body: '',
        createdAt: message.createdAt,
        ...(message.changeSeq !== undefined && { changeSeq: message.changeSeq }),
        isHidden: true,
      }));
    threads.applyChanges(
      conversationId,
      { conversationId, messages: hidden, changeSeq: cursor + 1 },
      false,
    );
    void sync.sync(conversationId);
  }

  /** The request, again with the same payload after a failure the network or server caused. */
  private async persistently<E extends ClientEventName>(
    event: E,
    payload: ClientEventPayload<E>,
  ): Promise<RequestResult<E>> {
    let response = await this.options.request(event, payload);
    for (let attempt = 1; attempt < ATTEMPTS; attempt++) {
      const failure = failureOf(response);
      if (!failure || !isRetryable(failure)) break;
      const delay = retryDelayMs(attempt, failure.retryAfterMs);
      await new Promise((resolve) => setTimeout(resolve, delay));
      response = await this.options.request(event, payload);
    }
    return response;
  }
}

/** The refusal in an answer, or null for a success. */
function failureOf(response: { ok: boolean }): { code: string; retryAfterMs?: number } | null {
  // Every answer that is not ok is an AckError or a TransportFailure: both have a code.
  return response.ok ? null : (response as { ok: false; code: string; retryAfterMs?: number });
}
