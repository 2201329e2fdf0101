// What every client event passes before anything else is done for it, parsing included: a
// place among the few events its socket may have in flight, and its price from its sender's
// work budget. A socket that keeps sending while refused is cut off, but only once the events
// it already has in flight are answered: work that was done is always acked.

import {
  ClientEvent,
  ErrorCode,
  EVENTS_IN_FLIGHT_PER_SOCKET,
  type ClientEventName,
} from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import {
  ABUSE_REJECTIONS,
  ABUSE_WINDOW_SECONDS,
  type LimiterName,
} from '../rate-limit/rate-limits';
import type { ParleySocket } from './types';

/**
 * What each client event costs from its sender's work budget (settings workPointsPerSecond and
 * workBurst): roughly the database and CPU work it causes, 1 for the cheapest. Writes pay
 * little here because they have their own limits per kind as well (messages, typing, chats,
 * groups); reads are what a flood repeats, and a read that returns many rows costs most.
 * The browser's startup spends 10 for the list plus 6 per conversation it catches up (a
 * history page and a delivery report), and 5 more for one whose messages changed meanwhile (a
 * page of changes): 500 conversations, every one with new messages and changes, take 5,510,
 * which the default burst of 5,000 and its refill of 250 a second cover within 2 s.
 */
export const EVENT_WORK: Record<ClientEventName, number> = {
  // A relay, or one marker moved in a batch with others: no read to speak of.
  [ClientEvent.TypingStart]: 1,
  [ClientEvent.TypingStop]: 1,
  [ClientEvent.ConversationMarkRead]: 1,
  [ClientEvent.ConversationMarkDelivered]: 1,
  // One row read or written through its key, or presence from memory (or Redis).
  [ClientEvent.MessageSend]: 2,
  [ClientEvent.ConversationGet]: 2,
  [ClientEvent.ConversationMute]: 2,
  [ClientEvent.ConversationArchive]: 2,
  [ClientEvent.PresenceQuery]: 2,
  [ClientEvent.PrivacyUpdate]: 2,
  [ClientEvent.ProfileUpdate]: 2,
  [ClientEvent.BlockAdd]: 2,
  [ClientEvent.BlockRemove]: 2,
  [ClientEvent.BlockList]: 2,
  [ClientEvent.GroupInvitePreview]: 2,
  // A short transaction that also writes a system message or a new conversation; or one that
  // changes a message under its conversation's lock and reads it back with who sees it.
  [ClientEvent.MessageEdit]: 3,
  [ClientEvent.MessageDelete]: 3,
  [ClientEvent.MessageReact]: 3,
  // Pinning counts the user's pins under a lock of theirs, in a short transaction.
  [ClientEvent.ConversationPin]: 3,
  [ClientEvent.ConversationStart]: 3,
  [ClientEvent.GroupLeave]: 3,
  [ClientEvent.GroupSetRole]: 3,
  [ClientEvent.GroupUpdate]: 3,
  [ClientEvent.GroupRemoveMember]: 3,
  // A message or user looked up, then a short transaction (it also pays the report limit).
  [ClientEvent.ReportCreate]: 3,
  [ClientEvent.GroupInviteLink]: 3,
  [ClientEvent.GroupInviteCreate]: 3,
  [ClientEvent.GroupInviteRevoke]: 3,
  [ClientEvent.GroupJoin]: 3,
  // Up to 100 rows: a history page, or usernames looked up for a new group; or a page of up
  // to 200 changed messages (most pages hold a few).
  [ClientEvent.MessageHistory]: 5,
  [ClientEvent.MessageChanges]: 5,
  [ClientEvent.GroupCreate]: 5,
  [ClientEvent.GroupAddMembers]: 5,
  // One row per member, up to the group size.
  [ClientEvent.MessageReceipts]: 5,
  [ClientEvent.GroupMembers]: 5,
  [ClientEvent.PeopleGet]: 5,
  // Up to 20 people, found through two indexes (it also pays the search rate limit).
  [ClientEvent.PeopleSearch]: 5,
  // Every conversation of the person, each with its last message and unread count. The pages
  // past the device's cursors that come with it are paid for one by one, as history pages.
  [ClientEvent.ConversationList]: 10,
  // A hide written for every message of the conversation, in one statement.
  [ClientEvent.ConversationClear]: 10,
  // Up to 20 messages read and copied into up to 10 conversations in one transaction (each
  // copy also pays the message rate limit).
  [ClientEvent.MessageForward]: 10,
  // Up to SEARCH_MATCHES_MAX index entries and rows read to find a page of matches (it also
  // pays the search rate limit).
  [ClientEvent.MessageSearch]: 20,
};

/** An event outside the contract does nothing but get its error: the cheapest price. */
const UNKNOWN_EVENT_WORK = 1;

export type Admission = { ok: true; release: () => void } | { ok: false; error: AppError };

export class EventGate {
  private running = 0;
  private isCutOff = false;
  private windowStartedAt = Number.NEGATIVE_INFINITY;
  /**
   * RATE_LIMITED answers in the current window, by limiter: made at the first, since a node
   * holds tens of thousands of sockets that are never refused anything.
   */
  private refusals: Map<LimiterName, number> | null = null;

  constructor(
    private readonly deps: Deps,
    private readonly socket: ParleySocket,
  ) {}

  /**
   * Takes a place for one event, synchronously, or refuses it. Call `release` once it is
   * answered (more calls do nothing).
   */
  admit(event: ClientEventName | undefined): Admission {
    const { rateLimits } = this.deps;
    const userId = this.socket.data.user.id;
    if (this.isCutOff) return this.refuse('in-flight', cutOffError());
    if (this.running >= EVENTS_IN_FLIGHT_PER_SOCKET) {
      return this.refuse('in-flight', rateLimits.refuseInFlight(userId));
    }
    const refusal = this.spend(event);
    if (refusal) return { ok: false, error: refusal };
    this.running++;
    let isReleased = false;
    return {
      ok: true,
      release: () => {
        if (isReleased) return;
        isReleased = true;
        this.running--;
        if (this.isCutOff && this.running === 0) this.disconnect();
      },
    };
  }

  /**
   * Charges an event's price from the work budget, or refuses it (the socket is cut off, or the
   * budget is spent; a refusal counts towards being cut off). `admit` charges through it; a
   * report sent without an ack, which takes no place among the events in flight (see
   * ./unanswered-reports.ts), pays only this.
   */
  spend(event: ClientEventName | undefined): AppError | null {
    if (this.isCutOff) return this.refuse('in-flight', cutOffError()).error;
    try {
      const work = event ? EVENT_WORK[event] : UNKNOWN_EVENT_WORK;
      this.deps.rateLimits.spendWork(this.socket.data.user.id, work);
      return null;
    } catch (error) {
      return this.refuse('work', error as AppError).error;
    }
  }

  /**
   * Counts a RATE_LIMITED answer. A client of ours waits for retryAfterMs; one that is refused
   * ABUSE_REJECTIONS times within ABUSE_WINDOW_SECONDS is not, and is cut off: refused at once
   * from now on, and disconnected when the events it has in flight are answered.
   */
  refused(limiter: LimiterName): void {
    const now = this.deps.clock.now();
    if (!this.isCutOff && now - this.windowStartedAt >= ABUSE_WINDOW_SECONDS * 1_000) {
      this.windowStartedAt = now;
      this.refusals = null;
    }
    this.refusals ??= new Map();
    this.refusals.set(limiter, (this.refusals.get(limiter) ?? 0) + 1);
    if (this.isCutOff || this.count() < ABUSE_REJECTIONS) return;
    this.isCutOff = true;
    if (this.running === 0) this.disconnect();
  }

  private refuse(limiter: LimiterName, error: AppError): { ok: false; error: AppError } {
    this.refused(limiter);
    return { ok: false, error };
  }

  private count(): number {
    let total = 0;
    for (const value of this.refusals?.values() ?? []) total += value;
    return total;
  }

  /** One log line per socket cut off, with what it was refused, however long the flood. */
  private disconnect(): void {
    if (!this.socket.connected) return;
    const { logger, metrics } = this.deps;
    metrics.rateLimitDisconnects.inc();
    logger.warn(
      {
        event: 'rate-limit.abuse-disconnect',
        userId: this.socket.data.user.id,
        refused: this.count(),
        limiters: Object.fromEntries(this.refusals ?? []),
      },
      `socket disconnected: ${this.count()} rate-limited requests within ${ABUSE_WINDOW_SECONDS} s (${ABUSE_REJECTIONS} allowed)`,
    );
    this.socket.disconnect(true);
  }
}

function cutOffError(): AppError {
  return new AppError(
    ErrorCode.RateLimited,
    'This connection sent too many requests while limited and is being closed. Reconnect, then wait for the answers before sending more.',
    { retryAfterMs: ABUSE_WINDOW_SECONDS * 1_000 },
  );
}
