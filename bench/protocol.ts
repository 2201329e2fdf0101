// Messages between the benchmark's orchestrator and its load-generator workers (over IPC),
// and the message body format both sides read.

export type TargetKind = 'parley' | 'relay';

export interface ClientSpec {
  /** A user id (Parley) or a room name (relay): who this client is. */
  id: string;
  /** The session cookie (Parley only). */
  cookie?: string;
  /** Which server this client connects to. */
  url: string;
  /** Relay only: rooms to join besides its own (a group's). */
  rooms?: string[];
  /**
   * The conversations this client is in. Parley: conversation ids, synced on every connect.
   * Relay: the rooms of the other members, for the sender's `to`.
   */
  conversations: { id: string; to?: string[] }[];
}

export interface SenderSpec {
  /** Index into the worker's clients. */
  client: number;
  /** Index into that client's conversations. */
  conversation: number;
}

export interface ConnectOptions {
  /** Parley: after connecting, sync like the app (conversation:list, then history). */
  sync: boolean;
  /** Parley: report delivery like the app does, per conversation, after deliveryReportDelayMs. */
  deliveryReports: boolean;
  /** Keep the time the last member got each message (fan-out). */
  trackLastDelivery: boolean;
}

/** One read of the history scenario, timed under `label`. */
export type ReadRequest =
  | { kind: 'page'; client: number; label: string; conversationId: string; beforeSeq?: number }
  | {
      kind: 'search';
      client: number;
      label: string;
      query: string;
      conversationId?: string;
      /** What must come back: at least one result, or the refusal of a too broad search. */
      expect: 'found' | 'too-broad';
    }
  /** people:search: at least one person must be found. */
  | { kind: 'people'; client: number; label: string; query: string };

export type Command =
  | {
      type: 'connect';
      kind: TargetKind;
      clients: ClientSpec[];
      localAddress: string;
      /** How many handshakes may be under way at once. */
      concurrency: number;
      options: ConnectOptions;
    }
  | {
      type: 'traffic';
      /** This worker's share of the rate. */
      ratePerSecond: number;
      durationMs: number;
      /** When the first send is due (µs, wall clock): the same for every worker. */
      startAtMicros: number;
      senders: SenderSpec[];
      bodyBytes: number;
    }
  | { type: 'drop' }
  | { type: 'wait-synced'; sinceMicros: number; timeoutMs: number }
  | {
      type: 'settle';
      /** Parley: the seq every member must hold; relay: how many messages each must have. */
      targets: Record<string, number>;
      timeoutMs: number;
    }
  | {
      /** Reads at a steady rate, each request in turn: history pages or searches. */
      type: 'history';
      ratePerSecond: number;
      durationMs: number;
      startAtMicros: number;
      requests: ReadRequest[];
    }
  | {
      type: 'flood';
      /** The flooding clients (indexes into this worker's clients). */
      clients: number[];
      durationMs: number;
      /** Requests each keeps unanswered: asked again the moment one is answered. */
      inFlight: number;
    }
  | { type: 'report'; reset: boolean }
  | { type: 'close' };

export interface TrafficResult {
  sent: number;
  acked: number;
  failed: number;
  /** Sends that were due while their client was disconnected: not sent. */
  skipped: number;
  /** How far behind schedule the generator fell at worst (ms): it was saturated if large. */
  maxLagMs: number;
  /** Acked sends by conversation (what the relay's members must all receive). */
  ackedPerConversation: Record<string, number>;
  firstError?: string;
}

/** What one client holds of one conversation (Parley) or received in it (relay). */
export interface HeldSummary {
  conversationId: string;
  /** Parley: the seq the client held when the run began. */
  fromSeq: number;
  /** Parley: it holds every seq up to here, in order. */
  cursor: number;
  /** Distinct bench messages received since the run began. */
  count: number;
  /** Sum of their keys: compared with the sum of what was stored. */
  keySum: number;
}

export interface WorkerReport {
  /** Encoded HDR histograms (µs). */
  ack: string;
  delivery: string;
  /** Other histograms by label (history requests, reconnect and sync times). */
  extra: Record<string, string>;
  /** Acked sends, by conversation: flat [key, seq, key, seq ...] (seq 0 for the relay). */
  acked: Record<string, number[]>;
  held: HeldSummary[];
  /** Pushes of a message the client already held: harmless when it resynced, else a bug. */
  duplicatePushes: number;
  /** Pushes that arrived after a later one: the client waited for the gap to fill. */
  outOfOrderPushes: number;
  /** Fan-out: key → when the last of this worker's members got it (latency in µs). */
  lastDelivery: Record<string, number>;
  connected: number;
  /** CPU time this worker used since the last reset (µs). */
  cpuMicros: number;
  errors: string[];
}

export type Reply =
  | { type: 'connected'; connected: number; failed: number; firstError?: string }
  | { type: 'traffic-done'; result: TrafficResult }
  | { type: 'dropped'; at: number; count: number }
  | {
      type: 'synced';
      /** When the last client was connected again and when it had finished syncing (µs). */
      lastConnectedAt: number;
      lastSyncedAt: number;
      /** Clients not back and synced when the wait timed out. */
      pending: number;
    }
  | { type: 'settled'; pending: number }
  | { type: 'history-done'; sent: number; failed: number; maxLagMs: number; firstError?: string }
  | { type: 'flood-done'; answered: number; refused: number; unanswered: number }
  | { type: 'report'; report: WorkerReport }
  | { type: 'closed' }
  | { type: 'error'; message: string };

/**
 * A benchmark message body: `bench <key> <due µs> ` then padding to the size wanted. The key
 * is unique in the run; the due time is the schedule's, so a saturated generator shows up as
 * latency rather than hiding it (no coordinated omission).
 */
export function makeBody(key: number, dueMicros: number, bytes: number): string {
  const head = `bench ${key} ${dueMicros} `;
  return head.length >= bytes ? head : head + 'x'.repeat(bytes - head.length);
}

export function parseBody(body: string): { key: number; dueMicros: number } | null {
  const match = /^bench (\d+) (\d+) /.exec(body);
  return match ? { key: Number(match[1]), dueMicros: Number(match[2]) } : null;
}

/** Keys are unique across workers: the worker's number in the high digits. */
export const KEYS_PER_WORKER = 100_000_000;

/** The relay's events: a bare copy of Parley's send and push. */
export const RELAY_SEND = 'relay:send';
export const RELAY_MESSAGE = 'relay:message';

export interface RelayMessage {
  conversationId: string;
  /** The sender's room. */
  from: string;
  body: string;
}
