// After every run: what was acked, what was stored and what each client holds must agree.
// Anything acked but not stored, stored twice, or missing from a member's device fails the run.

import { parseBody, type HeldSummary } from './protocol';

export interface Reconciliation {
  ok: boolean;
  /** Sends the server acknowledged. */
  acked: number;
  /** Bench messages stored during the run (Parley). */
  stored: number;
  /** Messages members hold (the sender's own devices included), and how many they should. */
  delivered: number;
  expectedDeliveries: number;
  /** Acked messages not stored as acked, plus messages missing from a member. */
  lost: number;
  /** Messages stored or held more than once. */
  doubled: number;
  /** Stored, but the sender got an error or no answer (allowed: a retry would dedupe it). */
  storedWithoutAck: number;
  problems: string[];
}

export interface RunRecord {
  /** By conversation: flat [key, seq, ...] of acked sends (seq 0 for the relay). */
  acked: Map<string, number[]>;
  held: HeldSummary[];
  /** Sends that got an error or no ack in time. */
  failedSends: number;
}

export interface StoredTruth {
  /** Each conversation's newest seq after the run. */
  lastSeqs: Map<string, number>;
  /** Everything stored during the run. */
  rows: StoredRow[];
  /**
   * Messages stored before the run above the seq some member started it from (it was still
   * behind): they count for that member's deliveries, never as acked or stored.
   */
  earlier: StoredRow[];
}

interface StoredRow {
  conversationId: string;
  seq: number;
  body: string;
}

const MAX_PROBLEMS = 10;

/** Parley: acks against the database, and every member's device against the database. */
export function reconcileStored(run: RunRecord, truth: StoredTruth): Reconciliation {
  const problems: string[] = [];
  const note = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const bySeq = new Map<string, Map<number, number>>();
  const timesStored = new Map<number, number>();
  for (const row of truth.rows) {
    const key = parseBody(row.body)?.key ?? 0;
    let conversation = bySeq.get(row.conversationId);
    if (!conversation) bySeq.set(row.conversationId, (conversation = new Map()));
    conversation.set(row.seq, key);
    timesStored.set(key, (timesStored.get(key) ?? 0) + 1);
  }
  // What members were to receive: the run's messages, and older ones a member was behind on.
  const toReceive = new Map([...bySeq].map(([id, seqs]) => [id, new Map(seqs)]));
  for (const row of truth.earlier) {
    let conversation = toReceive.get(row.conversationId);
    if (!conversation) toReceive.set(row.conversationId, (conversation = new Map()));
    conversation.set(row.seq, parseBody(row.body)?.key ?? 0);
  }
  let doubled = 0;
  for (const [key, times] of timesStored) {
    if (times > 1) {
      doubled += times - 1;
      note(`message ${key} is stored ${times} times`);
    }
  }

  let acked = 0;
  let lost = 0;
  const ackedKeys = new Set<number>();
  for (const [conversationId, pairs] of run.acked) {
    for (let index = 0; index < pairs.length; index += 2) {
      const key = pairs[index]!;
      const seq = pairs[index + 1]!;
      acked += 1;
      ackedKeys.add(key);
      if (bySeq.get(conversationId)?.get(seq) !== key) {
        lost += 1;
        note(`message ${key} was acked at seq ${seq} of ${conversationId} but is not stored there`);
      }
    }
  }
  const storedWithoutAck = [...timesStored.keys()].filter((key) => !ackedKeys.has(key)).length;
  if (storedWithoutAck > run.failedSends) {
    note(
      `${storedWithoutAck} messages were stored without an ack, but only ${run.failedSends} sends failed`,
    );
  }

  let delivered = 0;
  let expectedDeliveries = 0;
  for (const held of run.held) {
    const lastSeq = truth.lastSeqs.get(held.conversationId) ?? 0;
    const stored = toReceive.get(held.conversationId) ?? new Map<number, number>();
    let expectedSum = 0;
    let expectedCount = 0;
    for (let seq = held.fromSeq + 1; seq <= lastSeq; seq++) {
      const key = stored.get(seq);
      if (key === undefined) continue;
      expectedSum += key;
      expectedCount += 1;
    }
    delivered += held.count;
    expectedDeliveries += expectedCount;
    if (held.cursor < lastSeq) {
      lost += lastSeq - held.cursor;
      note(`a member of ${held.conversationId} holds up to seq ${held.cursor} of ${lastSeq}`);
    } else if (held.count > expectedCount) {
      doubled += held.count - expectedCount;
      note(`a member of ${held.conversationId} got ${held.count} messages of ${expectedCount}`);
    } else if (held.count < expectedCount || held.keySum !== expectedSum) {
      lost += Math.max(1, expectedCount - held.count);
      note(`a member of ${held.conversationId} holds other messages than were stored`);
    }
  }
  return {
    ok: problems.length === 0,
    acked,
    stored: truth.rows.length,
    delivered,
    expectedDeliveries,
    lost,
    doubled,
    storedWithoutAck,
    problems,
  };
}

/** The relay stores nothing: every member must have every acked message, once. */
export function reconcileRelayed(run: RunRecord): Reconciliation {
  const problems: string[] = [];
  const note = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const ackedCount = new Map<string, number>();
  const ackedSum = new Map<string, number>();
  let acked = 0;
  for (const [conversationId, pairs] of run.acked) {
    for (let index = 0; index < pairs.length; index += 2) {
      acked += 1;
      ackedCount.set(conversationId, (ackedCount.get(conversationId) ?? 0) + 1);
      ackedSum.set(conversationId, (ackedSum.get(conversationId) ?? 0) + pairs[index]!);
    }
  }
  let delivered = 0;
  let expectedDeliveries = 0;
  let lost = 0;
  let doubled = 0;
  for (const held of run.held) {
    const expected = ackedCount.get(held.conversationId) ?? 0;
    delivered += held.count;
    expectedDeliveries += expected;
    if (held.count < expected) {
      lost += expected - held.count;
      note(`a member of ${held.conversationId} got ${held.count} of ${expected} messages`);
    } else if (held.count > expected + run.failedSends) {
      doubled += held.count - expected;
      note(`a member of ${held.conversationId} got ${held.count} messages, ${expected} were sent`);
    } else if (
      held.count === expected &&
      held.keySum !== (ackedSum.get(held.conversationId) ?? 0)
    ) {
      lost += 1;
      note(`a member of ${held.conversationId} got other messages than were sent`);
    }
  }
  return {
    ok: problems.length === 0,
    acked,
    stored: 0,
    delivered,
    expectedDeliveries,
    lost,
    doubled,
    storedWithoutAck: 0,
    problems,
  };
}
