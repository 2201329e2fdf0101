// The fault suite is only as good as its checker: it must notice each way delivery can break.

import { describe, expect, it } from 'vitest';
import { findViolations, type DeliveryRecord } from '../faults/checker';

const row = (seq: number, clientMsgId = `m${seq}`) => ({
  id: seq * 10,
  conversationId: 'c1',
  seq,
  senderId: 'alice',
  clientMsgId,
  body: `body ${seq}`,
});

function healthy(): DeliveryRecord {
  const database = [row(1), row(2), row(3)];
  return {
    database,
    composed: database.map(({ clientMsgId, conversationId, senderId, body }) => ({
      clientMsgId,
      conversationId,
      senderId,
      body,
    })),
    acked: database.map(({ clientMsgId, id, seq, conversationId }) => ({
      clientMsgId,
      id,
      seq,
      conversationId,
    })),
    devices: [
      {
        name: 'bob-phone',
        conversationIds: ['c1'],
        held: { c1: database.map(({ id, seq, clientMsgId }) => ({ id, seq, clientMsgId })) },
        pendingCount: 0,
      },
    ],
  };
}

describe('the delivery checker', () => {
  it('accepts a run where everything arrived once, in order', () => {
    expect(findViolations(healthy())).toEqual([]);
  });

  it('notices a gap in seq', () => {
    const record = healthy();
    record.database[2]!.seq = 4;
    expect(findViolations(record).join('\n')).toMatch(/seq 4 at position 3/);
  });

  it('notices an acked message that was not stored', () => {
    const record = healthy();
    record.acked.push({ clientMsgId: 'lost', id: 99, seq: 4, conversationId: 'c1' });
    expect(findViolations(record).join('\n')).toMatch(/acked message lost is not stored/);
  });

  it('notices a stored message no client sent', () => {
    const record = healthy();
    record.database.push(row(4, 'forged'));
    expect(findViolations(record).join('\n')).toMatch(/never sent by a client/);
  });

  it('notices a message shown twice, out of order, or missing on a device', () => {
    const twice = healthy();
    twice.devices[0]!.held.c1!.push(twice.devices[0]!.held.c1![0]!);
    expect(findViolations(twice).join('\n')).toMatch(/shown twice/);

    const disordered = healthy();
    disordered.devices[0]!.held.c1!.reverse();
    expect(findViolations(disordered).join('\n')).toMatch(/not in seq order/);

    const missing = healthy();
    missing.devices[0]!.held.c1!.pop();
    expect(findViolations(missing).join('\n')).toMatch(/misses 1 of 3 messages/);
  });

  it('notices messages stuck in an outbox and a device holding others’ conversations', () => {
    const record = healthy();
    record.devices[0]!.pendingCount = 2;
    record.devices[0]!.held.c2 = [];
    const violations = findViolations(record).join('\n');
    expect(violations).toMatch(/2 messages still in the outbox/);
    expect(violations).toMatch(/holds conversation c2 of others/);
  });
});
