// The fault suite is only as good as its checker: it must notice each way delivery can break.

import { describe, expect, it } from 'vitest';
import { indexStored, type ChangeAction } from '../faults/change-checker';
import {
  findViolations,
  type DeliveryRecord,
  type HeldMessage,
  type StoredRow,
} from '../faults/checker';

const row = (seq: number, clientMsgId = `m${seq}`, conversationId = 'c1'): StoredRow => ({
  id: seq * 10,
  conversationId,
  seq,
  senderId: 'alice',
  clientMsgId,
  kind: 'text',
  body: `body ${seq}`,
  replyToSeq: null,
  isForwarded: false,
  isEdited: false,
  deletedBy: null,
  changeSeq: 0,
});

/** What a device of `userId` holds of `conversationId` when it shows everything as stored. */
function heldAsStored(
  record: DeliveryRecord,
  userId: string,
  conversationId = 'c1',
): HeldMessage[] {
  const index = indexStored({ messages: record.database, ...record });
  const rows = record.database.filter((stored) => stored.conversationId === conversationId);
  return rows.map((stored) => {
    const view = index.view(stored, userId);
    const original = rows.find((candidate) => candidate.seq === stored.replyToSeq);
    const isDeleted = original?.deletedBy != null;
    return {
      id: stored.id,
      seq: stored.seq,
      clientMsgId: stored.clientMsgId,
      ...view,
      reactionUsers: view.reactions.map((reaction) => reaction.split(' ')[0]!),
      quote:
        original && !view.isHidden
          ? {
              seq: original.seq,
              senderId: original.senderId,
              isDeleted,
              body: isDeleted ? '' : original.body,
            }
          : null,
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
    forwards: [],
    groups: {},
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

/**
 * Beside c1 (three messages of alice's), a group g1 that carol administers: its creation
 * (1), bob's message (2), which carol deleted for everyone, alice's reply to it (3), and
 * bob's forward of c1#1 (4); a device of bob's holds it all.
 */
function referring(): DeliveryRecord {
  const record = unchanged();
  const inGroup = (seq: number, clientMsgId: string, fields: Partial<StoredRow>) => ({
    ...row(seq, clientMsgId, 'g1'),
    id: 100 + seq,
    ...fields,
  });
  const sent = [
    inGroup(2, 'b2', { senderId: 'bob', body: '', deletedBy: 'carol', changeSeq: 1 }),
    inGroup(3, 'a3', { replyToSeq: 2 }),
  ];
  record.database.push(
    inGroup(1, 's1', { senderId: 'carol', kind: 'system', body: 'carol created the group' }),
    ...sent,
    inGroup(4, 'f4', { senderId: 'bob', body: 'body 1', isForwarded: true }),
  );
  record.composed.push(
    { clientMsgId: 'b2', conversationId: 'g1', senderId: 'bob', body: 'body 2' },
    { clientMsgId: 'a3', conversationId: 'g1', senderId: 'alice', body: 'body 3', replyToSeq: 2 },
  );
  record.acked.push(
    ...sent.map(({ clientMsgId, id, seq }) => ({ clientMsgId, id, seq, conversationId: 'g1' })),
  );
  record.lastChangeSeqs.g1 = 1;
  record.groups = { g1: { adminIds: ['carol'], lastSystemSeq: 1 } };
  record.actions = [
    { ...acked({ kind: 'delete-everyone', seq: 2, userId: 'carol' }), conversationId: 'g1' },
  ];
  record.forwards = [
    {
      sourceConversationId: 'c1',
      seq: 1,
      targetConversationId: 'g1',
      userId: 'bob',
      device: 'bob-phone',
      outcome: 'ok',
      copy: { clientMsgId: 'f4', id: 104, seq: 4, body: 'body 1' },
    },
  ];
  const [phone] = record.devices;
  phone!.conversationIds.push('g1');
  phone!.held = { c1: heldAsStored(record, 'bob'), g1: heldAsStored(record, 'bob', 'g1') };
  return record;
}

const heldInGroup = (record: DeliveryRecord, seq: number) =>
  record.devices[0]!.held.g1!.find((message) => message.seq === seq)!;
const groupRow = (record: DeliveryRecord, seq: number) =>
  record.database.find((stored) => stored.conversationId === 'g1' && stored.seq === seq)!;

describe('the delivery checker, for admins’ deletions, forwards and replies', () => {
  it('accepts a run where they are stored and held as they were asked for', () => {
    expect(findViolations(referring())).toEqual([]);
  });

  it('notices a deletion by an admin stored or held with another deleter', () => {
    const held = referring();
    heldInGroup(held, 2).deletedBy = 'bob';
    expect(findViolations(held).join('\n')).toMatch(
      /bob-phone: message g1#2 deletedBy: expected "carol", holds "bob"/,
    );

    const stored = referring();
    groupRow(stored, 2).deletedBy = 'alice';
    const violations = findViolations(stored).join('\n');
    expect(violations).toMatch(/message g1#2: deleted by alice, who never asked to delete it/);
    expect(violations).toMatch(/message g1#2: deleted by alice, neither its sender nor an admin/);
  });

  it('notices a forwarded copy without its mark, in the database or on a device', () => {
    const stored = referring();
    groupRow(stored, 4).isForwarded = false;
    expect(findViolations(stored).join('\n')).toMatch(
      /acked forward of c1#1 into g1 by bob-phone: not marked forwarded/,
    );

    const held = referring();
    heldInGroup(held, 4).isForwarded = false;
    expect(findViolations(held).join('\n')).toMatch(
      /bob-phone: message g1#4 isForwarded: expected true, holds false/,
    );
  });

  it('notices a forward stored twice or lost, and takes one given up on as stored once or not', () => {
    const twice = referring();
    twice.database.push({ ...groupRow(twice, 4), id: 105, seq: 5, clientMsgId: 'f5' });
    twice.devices[0]!.held.g1 = heldAsStored(twice, 'bob', 'g1');
    expect(findViolations(twice).join('\n')).toMatch(
      /stored copy g1#5 \("body 1"\): it matches no forward given up on/,
    );

    const givenUp = { ...referring().forwards[0]!, outcome: 'failed' as const, copy: null };
    twice.forwards.push(givenUp);
    expect(findViolations(twice)).toEqual([]);
    twice.database.push({ ...groupRow(twice, 4), id: 106, seq: 6, clientMsgId: 'f6' });
    twice.devices[0]!.held.g1 = heldAsStored(twice, 'bob', 'g1');
    expect(findViolations(twice).join('\n')).toMatch(/stored copy g1#6/);

    const lost = referring();
    lost.database.pop();
    lost.devices[0]!.held.g1!.pop();
    expect(findViolations(lost).join('\n')).toMatch(
      /acked forward of c1#1 into g1 by bob-phone: its copy is not stored/,
    );
  });

  it('notices a copy with a text its source never had', () => {
    const record = referring();
    groupRow(record, 4).body = 'body 2';
    record.forwards[0]!.copy!.body = 'body 2';
    record.devices[0]!.held.g1 = heldAsStored(record, 'bob', 'g1');
    expect(findViolations(record).join('\n')).toMatch(
      /copied as "body 2", a text its source never had/,
    );
  });

  it('notices a reply stored without its reference, or quoting another message or a stale one', () => {
    const unlinked = referring();
    groupRow(unlinked, 3).replyToSeq = null;
    unlinked.devices[0]!.held.g1 = heldAsStored(unlinked, 'bob', 'g1');
    expect(findViolations(unlinked).join('\n')).toMatch(/stored message 103 differs/);

    const elsewhere = referring();
    heldInGroup(elsewhere, 3).quote!.seq = 1;
    expect(findViolations(elsewhere).join('\n')).toMatch(
      /bob-phone: message g1#3 quote seq: expected 2, holds 1/,
    );

    const stale = referring();
    Object.assign(heldInGroup(stale, 3).quote!, { isDeleted: false, body: 'body 2' });
    const violations = findViolations(stale).join('\n');
    expect(violations).toMatch(
      /bob-phone: message g1#3 quote isDeleted: expected true, holds false/,
    );
    expect(violations).toMatch(/bob-phone: message g1#3 quote body: expected "", holds "body 2"/);
  });

  it('checks only the reference of a quote whose original its reader hid', () => {
    const record = referring();
    record.hides = [{ userId: 'bob', conversationId: 'g1', seq: 2, changeSeq: 2 }];
    record.lastChangeSeqs.g1 = 2;
    record.actions.push({
      ...acked({ kind: 'delete-me', seq: 2, userId: 'bob' }),
      conversationId: 'g1',
    });
    record.devices[0]!.held.g1 = heldAsStored(record, 'bob', 'g1');
    Object.assign(heldInGroup(record, 3).quote!, { isDeleted: false, body: 'body 2' });
    expect(findViolations(record)).toEqual([]);
    heldInGroup(record, 3).quote!.senderId = 'alice';
    expect(findViolations(record).join('\n')).toMatch(/quote senderId: expected "bob"/);
  });
});
