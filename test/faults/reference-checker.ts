// The third part of the checker: messages that refer to others, replies and forwards. Every
// device draws each reply's quote from the message it answers as the database has it now
// (deleted or not, its text). Every acked forward is stored once, as acked, marked forwarded,
// with a text its source had; a forward the client gave up on left one copy or none; no
// other copy exists.

import type { ChangeAction, StoredHide } from './change-checker';
import type { StoredRow } from './checker';

/**
 * One message forwarded into one conversation through a device's ChatClient. `ok`: acked,
 * with the copy the ack named; `failed`: the client gave up (it may or may not be stored).
 */
export interface ForwardAction {
  sourceConversationId: string;
  seq: number;
  targetConversationId: string;
  userId: string;
  device: string;
  outcome: 'ok' | 'failed';
  copy: { clientMsgId: string; id: number; seq: number; body: string } | null;
}

/** A reply's quote as a device holds and draws it. */
export interface HeldQuote {
  /** What the reply carries: the seq and sender of the message it answers. */
  seq: number;
  senderId: string;
  /** As drawn: from the original the device holds, else from what the reply came with. */
  isDeleted: boolean;
  /** '' when deleted. */
  body: string;
}

const keyOf = (conversationId: string, seq: number) => `${conversationId}#${seq}`;

/**
 * The stored forwarded copies against the forwards asked for. Adds the text each copy was
 * stored with to `sentBodies` (by conversation and seq), where the changes to it are checked.
 */
export function findForwardViolations(record: {
  rows: StoredRow[];
  forwards: ForwardAction[];
  actions: ChangeAction[];
  /** The clientMsgIds of messages sent (not forwarded). */
  sentIds: Set<string>;
  sentBodies: Map<string, string>;
}): string[] {
  const violations: string[] = [];
  const { rows, forwards, sentBodies } = record;
  const rowById = new Map(rows.map((row) => [row.clientMsgId, row]));
  // Acked copies are sources too: their text is known before anything is matched.
  for (const forward of forwards) {
    if (forward.copy)
      sentBodies.set(keyOf(forward.targetConversationId, forward.copy.seq), forward.copy.body);
  }
  // A source's text when it was forwarded: as sent, or as one of its edits (acked or not).
  const textsOf = (forward: ForwardAction) => [
    sentBodies.get(keyOf(forward.sourceConversationId, forward.seq)),
    ...record.actions
      .filter(
        (action) =>
          action.kind === 'edit' &&
          action.conversationId === forward.sourceConversationId &&
          action.seq === forward.seq,
      )
      .map((action) => action.body),
  ];
  const describe = (forward: ForwardAction) =>
    `forward of ${keyOf(forward.sourceConversationId, forward.seq)} into ${forward.targetConversationId} by ${forward.device}`;

  const ackedIds = new Set<string>();
  for (const forward of forwards) {
    const copy = forward.copy;
    if (!copy) continue;
    ackedIds.add(copy.clientMsgId);
    const row = rowById.get(copy.clientMsgId);
    if (!row) {
      violations.push(`acked ${describe(forward)}: its copy is not stored`);
      continue;
    }
    if (
      row.id !== copy.id ||
      row.seq !== copy.seq ||
      row.conversationId !== forward.targetConversationId
    ) {
      violations.push(
        `acked ${describe(forward)}: acked as ${copy.id}/${copy.seq}, stored as ${row.id}/${row.seq} in ${row.conversationId}`,
      );
    }
    if (!row.isForwarded) violations.push(`acked ${describe(forward)}: not marked forwarded`);
    if (row.senderId !== forward.userId || row.kind !== 'text' || row.replyToSeq !== null) {
      violations.push(`acked ${describe(forward)}: stored as another kind of message`);
    }
    if (!textsOf(forward).includes(copy.body)) {
      violations.push(
        `acked ${describe(forward)}: copied as ${JSON.stringify(copy.body)}, a text its source never had`,
      );
    }
  }

  // Any other copy belongs to a forward given up on, of that text, one copy each at most.
  const unclaimed = forwards.filter((forward) => forward.outcome === 'failed');
  for (const row of rows) {
    if (!row.isForwarded || ackedIds.has(row.clientMsgId)) continue;
    const name = `stored copy ${keyOf(row.conversationId, row.seq)}`;
    // Its changes are checked against the text it has, whoever made it.
    sentBodies.set(keyOf(row.conversationId, row.seq), row.body);
    if (record.sentIds.has(row.clientMsgId)) {
      violations.push(`${name} was sent as a message, but is marked forwarded`);
      continue;
    }
    const claimant = unclaimed.find(
      (forward) =>
        forward.userId === row.senderId &&
        forward.targetConversationId === row.conversationId &&
        textsOf(forward).includes(row.body),
    );
    if (!claimant) {
      violations.push(
        `${name} (${JSON.stringify(row.body)}): it matches no forward given up on, so a copy was stored twice, or by nobody`,
      );
      continue;
    }
    unclaimed.splice(unclaimed.indexOf(claimant), 1);
  }
  return violations;
}

/**
 * Every device draws each reply's quote from the message it answers as its user sees it: the
 * right seq and sender, and deleted or its current text as stored. A reply its user hid has
 * no quote. Where they hid the original, the device draws what the reply came with, which no
 * later change of the original reaches: only the reference is checked.
 */
export function findQuoteViolations(record: {
  rows: StoredRow[];
  hideOf: (userId: string, conversationId: string, seq: number) => StoredHide | undefined;
  devices: {
    name: string;
    userId: string;
    conversationIds: string[];
    held: Record<string, Map<number, { quote: HeldQuote | null }>>;
  }[];
}): string[] {
  const violations: string[] = [];
  const rowAt = new Map(record.rows.map((row) => [keyOf(row.conversationId, row.seq), row]));
  for (const row of record.rows) {
    if (row.replyToSeq !== null && !rowAt.has(keyOf(row.conversationId, row.replyToSeq))) {
      violations.push(
        `message ${keyOf(row.conversationId, row.seq)} replies to seq ${row.replyToSeq}, which is not stored`,
      );
    }
  }
  for (const device of record.devices) {
    for (const row of record.rows) {
      if (!device.conversationIds.includes(row.conversationId)) continue;
      const held = device.held[row.conversationId]?.get(row.seq);
      // A message not held at all is reported by the delivery checks.
      if (!held) continue;
      const name = `${device.name}: message ${keyOf(row.conversationId, row.seq)}`;
      const isReplyShown = !record.hideOf(device.userId, row.conversationId, row.seq);
      const original =
        row.replyToSeq !== null && isReplyShown
          ? rowAt.get(keyOf(row.conversationId, row.replyToSeq))
          : undefined;
      const quote = held.quote;
      if (!original) {
        if (quote) violations.push(`${name} has a quote (of seq ${quote.seq}), expected none`);
        continue;
      }
      if (!quote) {
        violations.push(`${name} has no quote, expected one of seq ${original.seq}`);
        continue;
      }
      const expected: Partial<HeldQuote> = {
        seq: original.seq,
        senderId: original.senderId,
        ...(!record.hideOf(device.userId, original.conversationId, original.seq) && {
          isDeleted: original.deletedBy !== null,
          body: original.deletedBy === null ? original.body : '',
        }),
      };
      for (const field of Object.keys(expected) as (keyof HeldQuote)[]) {
        const want = JSON.stringify(expected[field]);
        const has = JSON.stringify(quote[field]);
        if (want !== has) violations.push(`${name} quote ${field}: expected ${want}, holds ${has}`);
      }
    }
  }
  return violations;
}
