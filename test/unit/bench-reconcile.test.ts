// The benchmark's verdict is only as good as its reconciliation: it must notice every way a run
// can lose or double a message, and accept a clean run.

import { describe, expect, it } from 'vitest';
import { KEYS_PER_WORKER, makeBody, type HeldSummary } from '../../bench/protocol';
import {
  reconcileRelayed,
  reconcileStored,
  type RunRecord,
  type StoredTruth,
} from '../../bench/reconcile';

// Keys as the workers make them: the worker's number in the high digits.
const key = (worker: number, index: number) => worker * KEYS_PER_WORKER + index;
const A1 = key(1, 1);
const A2 = key(1, 2);
const A3 = key(2, 1);
const B1 = key(2, 2);
const B2 = key(1, 3);
const EXTRA = key(2, 3);

const row = (conversationId: string, seq: number, messageKey: number) => ({
  conversationId,
  seq,
  body: makeBody(messageKey, 1_000_000 + messageKey, 64),
});

const holding = (
  conversationId: string,
  fromSeq: number,
  cursor: number,
  keys: number[],
): HeldSummary => ({
  conversationId,
  fromSeq,
  cursor,
  count: keys.length,
  keySum: keys.reduce((sum, item) => sum + item, 0),
});

/**
 * Conversation a: seqs 1–10 from before the run, then A1, A2, A3 at 11–13. Conversation b: B1
 * and B2 at 1–2. Each has two members (the sender's device included) holding everything.
 */
function cleanStored(): { run: RunRecord; truth: StoredTruth } {
  return {
    run: {
      acked: new Map([
        ['a', [A1, 11, A2, 12, A3, 13]],
        ['b', [B1, 1, B2, 2]],
      ]),
      held: [
        holding('a', 10, 13, [A1, A2, A3]),
        holding('a', 10, 13, [A1, A2, A3]),
        holding('b', 0, 2, [B1, B2]),
        holding('b', 0, 2, [B1, B2]),
      ],
      failedSends: 0,
    },
    truth: {
      lastSeqs: new Map([
        ['a', 13],
        ['b', 2],
      ]),
      rows: [
        row('a', 11, A1),
        row('a', 12, A2),
        row('a', 13, A3),
        row('b', 1, B1),
        row('b', 2, B2),
      ],
      earlier: [],
    },
  };
}

describe('reconcileStored (Parley)', () => {
  it('accepts a clean run and counts it', () => {
    const { run, truth } = cleanStored();
    expect(reconcileStored(run, truth)).toEqual({
      ok: true,
      acked: 5,
      stored: 5,
      delivered: 10,
      expectedDeliveries: 10,
      lost: 0,
      doubled: 0,
      storedWithoutAck: 0,
      problems: [],
    });
  });

  it('counts an acked message that was never stored as lost', () => {
    const { run, truth } = cleanStored();
    truth.rows = truth.rows.filter((item) => item.seq !== 2 || item.conversationId !== 'b');
    truth.lastSeqs.set('b', 1);
    run.held = run.held.map((held) =>
      held.conversationId === 'b' ? holding('b', 0, 1, [B1]) : held,
    );
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1);
    expect(result.doubled).toBe(0);
    expect(result.problems).toEqual([
      `message ${B2} was acked at seq 2 of b but is not stored there`,
    ]);
  });

  it('counts an acked message stored at another seq than acked as lost', () => {
    const { run, truth } = cleanStored();
    run.acked.set('a', [A1, 11, A2, 12, A3, 14]);
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1);
    expect(result.problems).toEqual([
      `message ${A3} was acked at seq 14 of a but is not stored there`,
    ]);
  });

  it('counts a message acked in the wrong conversation as lost', () => {
    const { run, truth } = cleanStored();
    run.acked.set('a', [A1, 11, A2, 12]);
    run.acked.set('b', [B1, 1, B2, 2, A3, 13]);
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1);
  });

  it('counts a message stored twice as doubled', () => {
    const { run, truth } = cleanStored();
    truth.rows.push(row('a', 14, A2));
    truth.lastSeqs.set('a', 14);
    // The members hold both copies, so only the double row is wrong.
    run.held = run.held.map((held) =>
      held.conversationId === 'a' ? holding('a', 10, 14, [A1, A2, A3, A2]) : held,
    );
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.doubled).toBe(1);
    expect(result.lost).toBe(0);
    expect(result.stored).toBe(6);
    expect(result.storedWithoutAck).toBe(0);
    expect(result.problems).toEqual([`message ${A2} is stored 2 times`]);
  });

  it('counts a message from before the run that a member was behind on as delivered', () => {
    const { run, truth } = cleanStored();
    // The second member of a started the run at seq 9: seq 10 came in during the run.
    const OLD = key(3, 1);
    run.held[1] = holding('a', 9, 13, [OLD, A1, A2, A3]);
    truth.earlier = [row('a', 10, OLD)];
    expect(reconcileStored(run, truth)).toMatchObject({
      ok: true,
      acked: 5,
      stored: 5,
      delivered: 11,
      expectedDeliveries: 11,
      doubled: 0,
      storedWithoutAck: 0,
    });

    // Without knowing of it, the same member would look as if it held a message twice.
    truth.earlier = [];
    expect(reconcileStored(run, truth)).toMatchObject({ ok: false, doubled: 1 });
  });

  it('counts a member whose cursor stops short as lost', () => {
    const { run, truth } = cleanStored();
    run.held[1] = holding('a', 10, 12, [A1, A2]);
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1);
    expect(result.delivered).toBe(9);
    expect(result.expectedDeliveries).toBe(10);
    expect(result.problems).toEqual(['a member of a holds up to seq 12 of 13']);
  });

  it('counts a member missing a message below its cursor as lost', () => {
    const { run, truth } = cleanStored();
    run.held[3] = holding('b', 0, 2, [B2]);
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1);
    expect(result.problems).toEqual(['a member of b holds other messages than were stored']);
  });

  it('counts missing messages by number even when the key sums happen to agree', () => {
    const { run, truth } = cleanStored();
    // Two messages whose keys add up to what the member should hold: the count gives it away.
    run.held[0] = holding('a', 10, 13, [A1, A2 + A3]);
    run.held[1] = holding('a', 10, 13, [A1 + A2 + A3]);
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1 + 2);
  });

  it('counts a member holding other messages than were stored as lost', () => {
    const { run, truth } = cleanStored();
    run.held[0] = holding('a', 10, 13, [A1, A2, EXTRA]);
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1);
    expect(result.problems).toEqual(['a member of a holds other messages than were stored']);
  });

  it('counts a member holding a message twice as doubled', () => {
    const { run, truth } = cleanStored();
    run.held[2] = holding('b', 0, 2, [B1, B2, B2]);
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.doubled).toBe(1);
    expect(result.lost).toBe(0);
    expect(result.problems).toEqual(['a member of b got 3 messages of 2']);
  });

  it('allows messages stored without an ack up to the failed sends', () => {
    const { run, truth } = cleanStored();
    truth.rows.push(row('a', 14, EXTRA));
    truth.lastSeqs.set('a', 14);
    run.held = run.held.map((held) =>
      held.conversationId === 'a' ? holding('a', 10, 14, [A1, A2, A3, EXTRA]) : held,
    );
    run.failedSends = 1;
    const allowed = reconcileStored(run, truth);
    expect(allowed).toMatchObject({ ok: true, storedWithoutAck: 1, lost: 0, doubled: 0 });
    expect(allowed.problems).toEqual([]);

    run.failedSends = 0;
    const beyond = reconcileStored(run, truth);
    expect(beyond.ok).toBe(false);
    expect(beyond.storedWithoutAck).toBe(1);
    expect(beyond.problems).toEqual([
      '1 messages were stored without an ack, but only 0 sends failed',
    ]);
  });

  it('fails when more messages are stored without an ack than sends failed', () => {
    const { run, truth } = cleanStored();
    truth.rows.push(row('b', 3, EXTRA), row('b', 4, key(3, 1)));
    truth.lastSeqs.set('b', 4);
    run.held = run.held.map((held) =>
      held.conversationId === 'b' ? holding('b', 0, 4, [B1, B2, EXTRA, key(3, 1)]) : held,
    );
    run.failedSends = 1;
    const result = reconcileStored(run, truth);
    expect(result.ok).toBe(false);
    expect(result.storedWithoutAck).toBe(2);
  });
});

/** Relay: conversation a with three acked messages, b with two; two members each. */
function cleanRelayed(): RunRecord {
  return {
    acked: new Map([
      ['a', [A1, 0, A2, 0, A3, 0]],
      ['b', [B1, 0, B2, 0]],
    ]),
    held: [
      holding('a', 0, 0, [A1, A2, A3]),
      holding('a', 0, 0, [A1, A2, A3]),
      holding('b', 0, 0, [B1, B2]),
      holding('b', 0, 0, [B1, B2]),
    ],
    failedSends: 0,
  };
}

describe('reconcileRelayed (bare relay)', () => {
  it('accepts a clean run and counts it', () => {
    expect(reconcileRelayed(cleanRelayed())).toEqual({
      ok: true,
      acked: 5,
      stored: 0,
      delivered: 10,
      expectedDeliveries: 10,
      lost: 0,
      doubled: 0,
      storedWithoutAck: 0,
      problems: [],
    });
  });

  it('counts a member missing an acked message as lost', () => {
    const run = cleanRelayed();
    run.held[1] = holding('a', 0, 0, [A1, A3]);
    const result = reconcileRelayed(run);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1);
    expect(result.doubled).toBe(0);
    expect(result.problems).toEqual(['a member of a got 2 of 3 messages']);
  });

  it('counts a member holding other messages than were acked as lost', () => {
    const run = cleanRelayed();
    run.held[2] = holding('b', 0, 0, [B1, EXTRA]);
    const result = reconcileRelayed(run);
    expect(result.ok).toBe(false);
    expect(result.lost).toBe(1);
    expect(result.problems).toEqual(['a member of b got other messages than were sent']);
  });

  it('counts a member getting a message twice as doubled', () => {
    const run = cleanRelayed();
    run.held[3] = holding('b', 0, 0, [B1, B2, B2]);
    const result = reconcileRelayed(run);
    expect(result.ok).toBe(false);
    expect(result.doubled).toBe(1);
    expect(result.lost).toBe(0);
    expect(result.problems).toEqual(['a member of b got 3 messages, 2 were sent']);
  });

  it('allows extra messages up to the failed sends (they may have been relayed)', () => {
    const run = cleanRelayed();
    run.held[0] = holding('a', 0, 0, [A1, A2, A3, EXTRA]);
    run.failedSends = 1;
    expect(reconcileRelayed(run)).toMatchObject({ ok: true, lost: 0, doubled: 0 });

    run.held[0] = holding('a', 0, 0, [A1, A2, A3, EXTRA, key(3, 1)]);
    const beyond = reconcileRelayed(run);
    expect(beyond.ok).toBe(false);
    expect(beyond.doubled).toBe(2);
  });
});
