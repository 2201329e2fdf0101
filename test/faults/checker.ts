// Compares what the clients sent and were acked, what every device holds and what the database
// holds, and lists every way in which the delivery guarantee was broken. Changes to messages
// (edits, deletions, reactions) are checked in change-checker.ts, replies and forwards in
// reference-checker.ts.

import {
  findChangeViolations,
  indexStored,
  type ChangeAction,
  type HeldState,
  type StoredHide,
  type StoredReaction,
  type StoredState,
} from './change-checker';
import {
  findForwardViolations,
  findQuoteViolations,
  type ForwardAction,
  type HeldQuote,
} from './reference-checker';

export interface StoredRow extends StoredState {
  clientMsgId: string;
  kind: 'text' | 'system';
  /** The seq of the message it answers; null when it answers none. */
  replyToSeq: number | null;
}

/** A message as a device holds it: where it is, and its state. */
export type HeldMessage = { id: number; seq: number; clientMsgId: string } & HeldState & {
    /** Who reacted, once per reaction shown (a person twice is a violation). */
    reactionUsers: string[];
    quote: HeldQuote | null;
  };

export interface ComposedMessage {
  clientMsgId: string;
  conversationId: string;
  senderId: string;
  body: string;
  replyToSeq?: number;
}

/** A group of the run: who administers it, and the system messages its creation recorded. */
export interface GroupSetUp {
  adminIds: string[];
  lastSystemSeq: number;
}

export interface AckedMessage {
  clientMsgId: string;
  id: number;
  seq: number;
  conversationId: string;
}

export interface DeviceHoldings {
  name: string;
  userId: string;
  /** The conversations of the device's user. */
  conversationIds: string[];
  /** What the device holds, per conversation, in the order it shows them. */
  held: Record<string, HeldMessage[]>;
  /** Messages still in the device's outbox. */
  pendingCount: number;
}

export interface DeliveryRecord {
  database: StoredRow[];
  composed: ComposedMessage[];
  acked: AckedMessage[];
  devices: DeviceHoldings[];
  reactions: StoredReaction[];
  hides: StoredHide[];
  /** Each conversation's change counter. */
  lastChangeSeqs: Record<string, number>;
  /** The changes devices asked for, in the order they asked. */
  actions: ChangeAction[];
  forwards: ForwardAction[];
  /** By conversation id. */
  groups: Record<string, GroupSetUp>;
}

export function findViolations(record: DeliveryRecord): string[] {
  const violations: string[] = [];
  const rowsByConversation = new Map<string, StoredRow[]>();
  for (const row of record.database) {
    const rows = rowsByConversation.get(row.conversationId) ?? [];
    rows.push(row);
    rowsByConversation.set(row.conversationId, rows);
  }

  // The database: per conversation, seq is 1, 2, 3 … with no gap and no repeat.
  for (const [conversationId, rows] of rowsByConversation) {
    rows.sort((a, b) => a.seq - b.seq);
    rows.forEach((row, index) => {
      if (row.seq !== index + 1) {
        violations.push(`conversation ${conversationId}: seq ${row.seq} at position ${index + 1}`);
      }
    });
  }

  // Nothing the clients did not send or forward, and no system message but the groups'
  // creation; nothing stored twice. The text of a message someone edited or deleted is
  // checked against those actions, with the changes; forwarded copies with the forwards.
  const composed = new Map(record.composed.map((message) => [message.clientMsgId, message]));
  const changedText = new Set(
    record.actions
      .filter((action) => action.kind === 'edit' || action.kind === 'delete-everyone')
      .map((action) => `${action.conversationId}#${action.seq}`),
  );
  const stored = new Map<string, StoredRow>();
  const sentBodies = new Map<string, string>();
  for (const row of record.database) {
    if (stored.has(row.clientMsgId)) violations.push(`clientMsgId ${row.clientMsgId} stored twice`);
    stored.set(row.clientMsgId, row);
    if (row.kind === 'system') {
      if (row.seq > (record.groups[row.conversationId]?.lastSystemSeq ?? 0)) {
        violations.push(`stored system message ${row.id} records nothing the run did`);
      }
      sentBodies.set(`${row.conversationId}#${row.seq}`, row.body);
      continue;
    }
    if (row.isForwarded) continue;
    const sent = composed.get(row.clientMsgId);
    // Its changes are checked against the text it was stored with, whoever sent it.
    sentBodies.set(`${row.conversationId}#${row.seq}`, sent?.body ?? row.body);
    if (!sent) {
      violations.push(`stored message ${row.id} was never sent by a client`);
      continue;
    }
    if (
      (sent.body !== row.body && !changedText.has(`${row.conversationId}#${row.seq}`)) ||
      sent.conversationId !== row.conversationId ||
      sent.senderId !== row.senderId ||
      (sent.replyToSeq ?? null) !== row.replyToSeq
    ) {
      violations.push(`stored message ${row.id} differs from what was sent`);
    }
  }

  // Every ack is a promise: the message is stored, as acked.
  for (const ack of record.acked) {
    const row = stored.get(ack.clientMsgId);
    if (!row) violations.push(`acked message ${ack.clientMsgId} is not stored`);
    else if (
      row.id !== ack.id ||
      row.seq !== ack.seq ||
      row.conversationId !== ack.conversationId
    ) {
      violations.push(
        `acked message ${ack.clientMsgId} was acked as ${ack.id}/${ack.seq}, stored as ${row.id}/${row.seq}`,
      );
    }
  }

  // Every device of every member holds every message of its conversations, once, in order.
  for (const device of record.devices) {
    if (device.pendingCount > 0) {
      violations.push(`${device.name}: ${device.pendingCount} messages still in the outbox`);
    }
    for (const conversationId of Object.keys(device.held)) {
      if (!device.conversationIds.includes(conversationId)) {
        violations.push(`${device.name}: holds conversation ${conversationId} of others`);
      }
    }
    for (const conversationId of device.conversationIds) {
      const expected = rowsByConversation.get(conversationId) ?? [];
      const held = device.held[conversationId] ?? [];
      const ids = held.map((message) => message.id);
      if (new Set(ids).size !== ids.length) {
        violations.push(`${device.name}: a message of ${conversationId} is shown twice`);
      }
      const seqs = held.map((message) => message.seq);
      if (seqs.some((seq, index) => index > 0 && seq <= seqs[index - 1]!)) {
        violations.push(`${device.name}: ${conversationId} is not in seq order`);
      }
      const missing = expected.filter((row) => !ids.includes(row.id));
      if (missing.length > 0) {
        violations.push(
          `${device.name}: misses ${missing.length} of ${expected.length} messages of ${conversationId} (seq ${missing
            .map((row) => row.seq)
            .slice(0, 10)
            .join(', ')})`,
        );
      }
      const extra = held.filter((message) => !expected.some((row) => row.id === message.id));
      if (extra.length > 0) {
        violations.push(
          `${device.name}: holds ${extra.length} messages of ${conversationId} that are not stored`,
        );
      }
    }
  }

  violations.push(
    ...findForwardViolations({
      rows: record.database,
      forwards: record.forwards,
      actions: record.actions,
      sentIds: new Set(composed.keys()),
      sentBodies,
    }),
  );
  const devices = record.devices.map((device) => ({
    name: device.name,
    userId: device.userId,
    conversationIds: device.conversationIds,
    held: Object.fromEntries(
      Object.entries(device.held).map(([conversationId, messages]) => [
        conversationId,
        new Map(messages.map((message) => [message.seq, message])),
      ]),
    ),
  }));
  violations.push(
    ...findChangeViolations({
      messages: record.database,
      reactions: record.reactions,
      hides: record.hides,
      lastChangeSeqs: record.lastChangeSeqs,
      sentBodies,
      adminsOf: Object.fromEntries(
        Object.entries(record.groups).map(([id, group]) => [id, group.adminIds]),
      ),
      actions: record.actions,
      devices,
    }),
    ...findQuoteViolations({
      rows: record.database,
      hideOf: indexStored({ ...record, messages: record.database }).hideOf,
      devices,
    }),
  );
  return violations;
}
