// The second part of the checker: changes to messages (edits, deletions for everyone, by the
// sender or a group admin, or for one person, reactions). After a run every device must hold
// each message exactly as the database says its user sees it, every acked change must be in
// the database's final state (unless a later change undid it), and no change may have been
// applied twice.

/** A stored message as it is now. */
export interface StoredState {
  id: number;
  conversationId: string;
  seq: number;
  senderId: string;
  body: string;
  isEdited: boolean;
  /** Who deleted it for everyone; null when it is not deleted. */
  deletedBy: string | null;
  /** A copy made by message:forward. */
  isForwarded: boolean;
  /** 0 when never changed. */
  changeSeq: number;
}

export interface StoredReaction {
  messageId: number;
  userId: string;
  emoji: string;
}

export interface StoredHide {
  userId: string;
  conversationId: string;
  seq: number;
  changeSeq: number;
}

/** A message as a device holds it (or as its user should see it). */
export interface HeldState {
  body: string;
  isEdited: boolean;
  deletedBy: string | null;
  isForwarded: boolean;
  /** "userId emoji", sorted. */
  reactions: string[];
  isHidden: boolean;
  changeSeq: number;
}

/**
 * A change a device asked for through its ChatClient. `ok`: acknowledged; `failed`: the client
 * gave up (refused, or no answer: it may or may not have been applied). The harness never
 * has two actions of one person on one message under way at once, so their order here is the
 * order in which they were applied.
 */
export interface ChangeAction {
  kind: 'edit' | 'delete-everyone' | 'delete-me' | 'react';
  conversationId: string;
  seq: number;
  userId: string;
  device: string;
  /** The new text (edit), or the emoji, null to remove (react). */
  body?: string;
  emoji?: string | null;
  outcome: 'ok' | 'failed';
}

export interface ChangeRecord {
  messages: StoredState[];
  reactions: StoredReaction[];
  hides: StoredHide[];
  /** Each conversation's change counter (conversations.last_change_seq). */
  lastChangeSeqs: Record<string, number>;
  /** The text each message was sent with, by conversation and seq. */
  sentBodies: Map<string, string>;
  /** The admins of each group. */
  adminsOf: Record<string, string[]>;
  actions: ChangeAction[];
  devices: {
    name: string;
    userId: string;
    conversationIds: string[];
    /** Per conversation: the state of each held message, by seq. */
    held: Record<string, Map<number, HeldState & { reactionUsers: string[] }>>;
  }[];
}

const keyOf = (conversationId: string, seq: number) => `${conversationId}#${seq}`;

/** How `userId` sees a stored message: what each of their devices must hold. */
export function viewOf(
  message: StoredState,
  reactions: StoredReaction[],
  hide: StoredHide | undefined,
): HeldState {
  if (hide) {
    return {
      body: '',
      isEdited: false,
      deletedBy: null,
      isForwarded: false,
      reactions: [],
      isHidden: true,
      changeSeq: Math.max(message.changeSeq, hide.changeSeq),
    };
  }
  return {
    body: message.body,
    isEdited: message.isEdited,
    deletedBy: message.deletedBy,
    isForwarded: message.isForwarded,
    reactions: reactions.map((reaction) => `${reaction.userId} ${reaction.emoji}`).sort(),
    isHidden: false,
    changeSeq: message.changeSeq,
  };
}

/** Indexes of the stored state, shared by the harness (what to wait for) and the checks. */
export function indexStored(record: Pick<ChangeRecord, 'messages' | 'reactions' | 'hides'>) {
  const reactionsOf = new Map<number, StoredReaction[]>();
  for (const reaction of record.reactions) {
    reactionsOf.set(reaction.messageId, [...(reactionsOf.get(reaction.messageId) ?? []), reaction]);
  }
  const hideOf = new Map<string, StoredHide>();
  for (const hide of record.hides)
    hideOf.set(`${hide.userId} ${keyOf(hide.conversationId, hide.seq)}`, hide);
  return {
    /** The state `userId` must see of `message`. */
    view: (message: StoredState, userId: string) =>
      viewOf(
        message,
        reactionsOf.get(message.id) ?? [],
        hideOf.get(`${userId} ${keyOf(message.conversationId, message.seq)}`),
      ),
    reactionsOf: (messageId: number) => reactionsOf.get(messageId) ?? [],
    hideOf: (userId: string, conversationId: string, seq: number) =>
      hideOf.get(`${userId} ${keyOf(conversationId, seq)}`),
  };
}

export function findChangeViolations(record: ChangeRecord): string[] {
  return [...compareDevices(record), ...checkCounters(record), ...checkActionsKept(record)];
}

/** Every device holds every message of its conversations as its user sees it in the database. */
function compareDevices(record: ChangeRecord): string[] {
  const violations: string[] = [];
  const stored = indexStored(record);
  for (const device of record.devices) {
    for (const message of record.messages) {
      if (!device.conversationIds.includes(message.conversationId)) continue;
      const held = device.held[message.conversationId]?.get(message.seq);
      // A message not held at all is reported by the delivery checks.
      if (!held) continue;
      const name = `${device.name}: message ${keyOf(message.conversationId, message.seq)}`;
      const users = held.reactionUsers;
      if (new Set(users).size !== users.length) {
        violations.push(
          `${name} shows a reaction of one person twice (${held.reactions.join(', ')})`,
        );
      }
      const expected = stored.view(message, device.userId);
      for (const field of Object.keys(expected) as (keyof HeldState)[]) {
        const want = JSON.stringify(expected[field]);
        const has = JSON.stringify(held[field]);
        if (want !== has) violations.push(`${name} ${field}: expected ${want}, holds ${has}`);
      }
    }
  }
  return violations;
}

/**
 * The change counter: each change takes the next value once, so no two stamps are equal and
 * none lies beyond the counter; and every acked action is exactly one change (the harness
 * asks only for changes that change something), so the counter is at least the number of
 * acked ones and at most that plus the failed ones. Beyond it, something was applied twice.
 */
function checkCounters(record: ChangeRecord): string[] {
  const violations: string[] = [];
  const stamps = new Map<string, number[]>();
  const stamp = (conversationId: string, changeSeq: number) =>
    stamps.set(conversationId, [...(stamps.get(conversationId) ?? []), changeSeq]);
  for (const message of record.messages) {
    if (message.changeSeq > 0) stamp(message.conversationId, message.changeSeq);
  }
  for (const hide of record.hides) stamp(hide.conversationId, hide.changeSeq);
  for (const [conversationId, last] of Object.entries(record.lastChangeSeqs)) {
    const seen = new Set<number>();
    for (const changeSeq of stamps.get(conversationId) ?? []) {
      if (seen.has(changeSeq)) {
        violations.push(`conversation ${conversationId}: change seq ${changeSeq} stamped twice`);
      }
      if (changeSeq > last) {
        violations.push(
          `conversation ${conversationId}: change seq ${changeSeq} beyond the counter ${last}`,
        );
      }
      seen.add(changeSeq);
    }
    const actions = record.actions.filter((action) => action.conversationId === conversationId);
    const acked = actions.filter((action) => action.outcome === 'ok').length;
    const failed = actions.length - acked;
    if (last < acked) {
      violations.push(
        `conversation ${conversationId}: ${acked} changes acked, but the change counter is at ${last}`,
      );
    } else if (last > acked + failed) {
      violations.push(
        `conversation ${conversationId}: change counter at ${last}, but only ${acked} changes acked and ${failed} failed: something was applied twice`,
      );
    }
  }
  return violations;
}

/**
 * What may be stored after a person's sequence of actions of one kind on one message: the
 * result of the last acked one (or `initial` without any), or that of any failed one after
 * it, which may have been applied or not.
 */
function allowedAfter<T>(
  actions: ChangeAction[],
  initial: T,
  resultOf: (action: ChangeAction) => T,
): T[] {
  const lastOk = actions.findLastIndex((action) => action.outcome === 'ok');
  const allowed = [lastOk >= 0 ? resultOf(actions[lastOk]!) : initial];
  for (const action of actions.slice(lastOk + 1)) allowed.push(resultOf(action));
  return allowed;
}

/** Every acked change is in the database's final state, unless a later change undid it. */
function checkActionsKept(record: ChangeRecord): string[] {
  const violations: string[] = [];
  const stored = indexStored(record);
  const actionsOn = new Map<string, ChangeAction[]>();
  for (const action of record.actions) {
    const key = keyOf(action.conversationId, action.seq);
    actionsOn.set(key, [...(actionsOn.get(key) ?? []), action]);
  }
  for (const message of record.messages) {
    const key = keyOf(message.conversationId, message.seq);
    const actions = actionsOn.get(key) ?? [];
    const name = `message ${key}`;
    const ofKind = (kind: ChangeAction['kind'], userId?: string) =>
      actions.filter((action) => action.kind === kind && (!userId || action.userId === userId));

    const deletions = ofKind('delete-everyone');
    const isDeleted = message.deletedBy !== null;
    if (deletions.some((action) => action.outcome === 'ok') && !isDeleted) {
      violations.push(`${name}: deleted for everyone (acked), but its text is stored`);
    }
    if (isDeleted && !deletions.some((action) => action.userId === message.deletedBy)) {
      violations.push(`${name}: deleted by ${message.deletedBy}, who never asked to delete it`);
    }
    const mayDelete = [message.senderId, ...(record.adminsOf[message.conversationId] ?? [])];
    if (isDeleted && !mayDelete.includes(message.deletedBy!)) {
      violations.push(
        `${name}: deleted by ${message.deletedBy}, neither its sender nor an admin of the group`,
      );
    }
    if (isDeleted && (message.body !== '' || stored.reactionsOf(message.id).length > 0)) {
      violations.push(`${name}: deleted for everyone, but its text or reactions are kept`);
    }

    const edits = ofKind('edit');
    if (!isDeleted) {
      const sent = record.sentBodies.get(key) ?? '';
      const bodies = allowedAfter(edits, sent, (action) => action.body ?? '');
      if (!bodies.includes(message.body)) {
        violations.push(
          `${name}: stored text ${JSON.stringify(message.body)}, expected ${bodies.map((body) => JSON.stringify(body)).join(' or ')}`,
        );
      }
    }
    if (edits.some((action) => action.outcome === 'ok') && !message.isEdited) {
      violations.push(`${name}: edited (acked), but not marked edited`);
    }
    if (edits.length === 0 && message.isEdited) {
      violations.push(`${name}: marked edited though nobody edited it`);
    }

    const reactors = new Set([
      ...ofKind('react').map((action) => action.userId),
      ...stored.reactionsOf(message.id).map((reaction) => reaction.userId),
    ]);
    if (!isDeleted) {
      for (const userId of reactors) {
        const reacted = stored.reactionsOf(message.id).find((r) => r.userId === userId);
        const allowed = allowedAfter(ofKind('react', userId), null, (a) => a.emoji ?? null);
        if (!allowed.includes(reacted?.emoji ?? null)) {
          violations.push(
            `${name}: reaction of ${userId} stored as ${reacted?.emoji ?? 'none'}, expected ${allowed.map((emoji) => emoji ?? 'none').join(' or ')}`,
          );
        }
      }
    }

    const hiders = new Set(ofKind('delete-me').map((action) => action.userId));
    for (const hide of record.hides) {
      if (keyOf(hide.conversationId, hide.seq) === key) hiders.add(hide.userId);
    }
    for (const userId of hiders) {
      const isHidden = stored.hideOf(userId, message.conversationId, message.seq) !== undefined;
      const allowed = allowedAfter(ofKind('delete-me', userId), false, () => true);
      if (!allowed.includes(isHidden)) {
        violations.push(
          `${name}: ${isHidden ? 'hidden for' : 'not hidden for'} ${userId}, expected the opposite`,
        );
      }
    }
  }
  return violations;
}
