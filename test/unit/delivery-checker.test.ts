// The fault suite is only as good as its checker: it must notice each way delivery can break.

import { describe, expect, it } from 'vitest';
import { indexStored, type ChangeAction } from '../faults/change-checker';
import { findViolations, type DeliveryRecord, type HeldMessage } from '../faults/checker';

const row = (seq: number, clientMsgId = `m${seq}`) => ({
  id: seq * 10,
  conversationId: 'c1',
  seq,
  senderId: 'alice',
  clientMsgId,
  body: `body ${seq}`,
  isEdited: false,
  deletedBy: null as string | null,
  changeSeq: 0,
});

/** What a device of `userId` holds when it shows everything as stored. */
function heldAsStored(record: DeliveryRecord, userId: string): HeldMessage[] {
  const index = indexStored({ messages: record.database, ...record });
  return record.database.map((stored) => {
    const view = index.view(stored, userId);
    return {
      id: stored.id,
      seq: stored.seq,
      clientMsgId: stored.clientMsgId,
      ...view,
      reactionUsers: view.reactions.map((reaction) => reaction.split(' ')[0]!),
    };
  });
}

function unchanged(): DeliveryRecord {
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
      { name: 'bob-phone', userId: 'bob', conversationIds: ['c1'], held: {}, pendingCount: 0 },
    ],
    reactions: [],
    hides: [],
    lastChangeSeqs: { c1: 0 },
    actions: [],
  };
}

/** Three messages of alice's in c1, none changed, on a device of bob's. */
function healthy(): DeliveryRecord {
  const record = unchanged();
  record.devices[0]!.held.c1 = heldAsStored(record, 'bob');
  return record;
}

const acked = (action: Omit<ChangeAction, 'conversationId' | 'device' | 'outcome'>) =>
  ({ ...action, conversationId: 'c1', device: `${action.userId}-device`, outcome: 'ok' }) as const;

/**
 * The same after four acked changes: bob reacted 👍 to 1, alice edited 2, alice deleted 3 for
 * everyone, bob deleted 2 for himself; a device of each holds it all.
 */
function changed(): DeliveryRecord {
  const record = unchanged();
  const [first, second, third] = record.database;
  Object.assign(first!, { changeSeq: 1 });
  Object.assign(second!, { body: 'body 2 (edit 1)', isEdited: true, changeSeq: 2 });
  Object.assign(third!, { body: '', deletedBy: 'alice', changeSeq: 3 });
  record.reactions = [{ messageId: first!.id, userId: 'bob', emoji: '👍' }];
  record.hides = [{ userId: 'bob', conversationId: 'c1', seq: 2, changeSeq: 4 }];
  record.lastChangeSeqs = { c1: 4 };
  record.actions = [
    acked({ kind: 'react', seq: 1, userId: 'bob', emoji: '👍' }),
    acked({ kind: 'edit', seq: 2, userId: 'alice', body: 'body 2 (edit 1)' }),
    acked({ kind: 'delete-everyone', seq: 3, userId: 'alice' }),
    acked({ kind: 'delete-me', seq: 2, userId: 'bob' }),
  ];
  record.devices[0]!.held.c1 = heldAsStored(record, 'bob');
  record.devices.push({
    name: 'alice-laptop',
    userId: 'alice',
    conversationIds: ['c1'],
    held: { c1: heldAsStored(record, 'alice') },
    pendingCount: 0,
  });
  return record;
}

const heldOf = (record: DeliveryRecord, device: number, seq: number) =>
  record.devices[device]!.held.c1!.find((message) => message.seq === seq)!;

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

describe('the delivery checker, for changes to messages', () => {
  it('accepts a run where every device holds every change as stored', () => {
    expect(findViolations(changed())).toEqual([]);
  });

  it('notices a device that holds a message in an older state: text, edited, deleted, change seq', () => {
    const stale = changed();
    Object.assign(heldOf(stale, 1, 2), { body: 'body 2', isEdited: false, changeSeq: 0 });
    Object.assign(heldOf(stale, 1, 3), { body: 'body 3', deletedBy: null, changeSeq: 0 });
    const violations = findViolations(stale).join('\n');
    expect(violations).toMatch(
      /alice-laptop: message c1#2 body: expected "body 2 \(edit 1\)", holds "body 2"/,
    );
    expect(violations).toMatch(/alice-laptop: message c1#2 isEdited: expected true, holds false/);
    expect(violations).toMatch(/alice-laptop: message c1#2 changeSeq: expected 2, holds 0/);
    expect(violations).toMatch(/alice-laptop: message c1#3 body: expected "", holds "body 3"/);
    expect(violations).toMatch(
      /alice-laptop: message c1#3 deletedBy: expected "alice", holds null/,
    );
  });

  it('notices a reaction missing, or shown twice, on a device', () => {
    const missing = changed();
    Object.assign(heldOf(missing, 1, 1), { reactions: [], reactionUsers: [] });
    expect(findViolations(missing).join('\n')).toMatch(
      /alice-laptop: message c1#1 reactions: expected \["bob 👍"\], holds \[\]/,
    );

    const twice = changed();
    heldOf(twice, 1, 1).reactionUsers.push('bob');
    expect(findViolations(twice).join('\n')).toMatch(
      /alice-laptop: message c1#1 shows a reaction of one person twice/,
    );
  });

  it('notices a message deleted for me still shown to me, or hidden from someone else', () => {
    const record = changed();
    Object.assign(heldOf(record, 0, 2), { isHidden: false, body: 'body 2 (edit 1)' });
    Object.assign(heldOf(record, 1, 2), { isHidden: true, body: '' });
    const violations = findViolations(record).join('\n');
    expect(violations).toMatch(/bob-phone: message c1#2 isHidden: expected true, holds false/);
    expect(violations).toMatch(/alice-laptop: message c1#2 isHidden: expected false, holds true/);
  });

  it('notices each acked change missing from the database', () => {
    const lost = changed();
    const [first, second, third] = lost.database;
    Object.assign(second!, { body: 'body 2', isEdited: false });
    Object.assign(third!, { body: 'body 3', deletedBy: null });
    lost.reactions = [];
    lost.hides = [];
    lost.lastChangeSeqs = { c1: 1 };
    Object.assign(first!, { changeSeq: 1 });
    const violations = findViolations(lost).join('\n');
    expect(violations).toMatch(/message c1#2: stored text "body 2", expected "body 2 \(edit 1\)"/);
    expect(violations).toMatch(/message c1#2: edited \(acked\), but not marked edited/);
    expect(violations).toMatch(
      /message c1#3: deleted for everyone \(acked\), but its text is stored/,
    );
    expect(violations).toMatch(/message c1#1: reaction of bob stored as none, expected 👍/);
    expect(violations).toMatch(/message c1#2: not hidden for bob, expected the opposite/);
    expect(violations).toMatch(/c1: 4 changes acked, but the change counter is at 1/);
  });

  it('notices changes nobody asked for', () => {
    const record = changed();
    record.database[0]!.isEdited = true;
    record.reactions.push({ messageId: record.database[0]!.id, userId: 'alice', emoji: '🔥' });
    record.hides.push({ userId: 'alice', conversationId: 'c1', seq: 1, changeSeq: 5 });
    record.lastChangeSeqs = { c1: 5 };
    const violations = findViolations(record).join('\n');
    expect(violations).toMatch(/message c1#1: marked edited though nobody edited it/);
    expect(violations).toMatch(/message c1#1: reaction of alice stored as 🔥, expected none/);
    expect(violations).toMatch(/message c1#1: hidden for alice, expected the opposite/);
  });

  it('notices a change applied twice: the counter beyond the acked changes, a stamp taken twice', () => {
    const twice = changed();
    twice.lastChangeSeqs = { c1: 5 };
    expect(findViolations(twice).join('\n')).toMatch(
      /c1: change counter at 5, but only 4 changes acked and 0 failed: something was applied twice/,
    );

    const stamped = changed();
    stamped.database[0]!.changeSeq = 3;
    expect(findViolations(stamped).join('\n')).toMatch(/c1: change seq 3 stamped twice/);
  });

  it('takes a failed change as applied or not, but nothing else', () => {
    const failed = { ...acked({ kind: 'react', seq: 1, userId: 'bob', emoji: '😂' }) };
    const notApplied = changed();
    notApplied.actions.push({ ...failed, outcome: 'failed' });
    expect(findViolations(notApplied)).toEqual([]);

    const applied = changed();
    applied.actions.push({ ...failed, outcome: 'failed' });
    applied.reactions = [{ messageId: applied.database[0]!.id, userId: 'bob', emoji: '😂' }];
    applied.database[0]!.changeSeq = 5;
    applied.lastChangeSeqs = { c1: 5 };
    applied.devices[0]!.held.c1 = heldAsStored(applied, 'bob');
    applied.devices[1]!.held.c1 = heldAsStored(applied, 'alice');
    expect(findViolations(applied)).toEqual([]);

    const other = changed();
    other.actions.push({ ...failed, outcome: 'failed' });
    other.reactions = [{ messageId: other.database[0]!.id, userId: 'bob', emoji: '🎉' }];
    expect(findViolations(other).join('\n')).toMatch(
      /message c1#1: reaction of bob stored as 🎉, expected 👍 or 😂/,
    );
  });
});
