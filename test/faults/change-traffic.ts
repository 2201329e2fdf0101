// Acting on messages during a delivery run: devices edit their people's recent messages,
// delete some for everyone (group admins others' too) and some for themselves, react to
// others' messages (set, change, remove) and forward messages into their other conversations,
// through the real ChatClient methods with their own retries. What each one asked for and how
// it ended is recorded for the checkers (change-checker.ts, reference-checker.ts).

import type { ChangeAction } from './change-checker';
import type { ForwardAction } from './reference-checker';
import type { Device } from './harness';

/** Acts only on the newest messages of a conversation, well within the edit window. */
const RECENT = 12;
/** A device asks for at most this many changes at once, so an outage does not pile them up. */
const IN_FLIGHT_PER_DEVICE = 2;
const EMOJIS = ['👍', '😂', '🎉', '🔥'];

interface Target {
  conversationId: string;
  seq: number;
  senderId: string;
  body: string;
  /** Someone asked to delete it for everyone: nobody asks again, so each ack is one change. */
  isDeletionAsked: boolean;
  isDeleted: boolean;
  edits: number;
}

/**
 * One person's standing towards one message. Their actions on it go one at a time, so the
 * order they were asked in is the order they were applied; after one that failed (it may or
 * may not have been applied) or one that ends their part (a deletion), they leave it alone.
 */
interface Stance {
  isBusy: boolean;
  isDone: boolean;
  emoji: string | null;
}

export class ChangeTraffic {
  readonly actions: ChangeAction[] = [];
  readonly forwards: ForwardAction[] = [];
  private readonly targets = new Map<string, Target[]>();
  private readonly stances = new Map<string, Stance>();
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  /** Acked deletions for everyone by group admins of others' messages. */
  private othersDeleted = 0;

  /** A message the server stored (its first ack): something to act on. */
  noteStored(message: { conversationId: string; seq: number; senderId: string; body: string }) {
    const list = this.targets.get(message.conversationId) ?? [];
    list.push({ ...message, isDeletionAsked: false, isDeleted: false, edits: 0 });
    this.targets.set(message.conversationId, list);
  }

  /** A message of the conversation to reply to, old or new, if one is stored yet. */
  quotable(conversationId: string): number | undefined {
    const stored = this.targets.get(conversationId);
    return stored && stored.length > 0 ? pick(stored).seq : undefined;
  }

  /**
   * One change by `device` to a recent message of one of its conversations, or a forward of
   * one, if any fits; whether one was asked for.
   */
  act(device: Device): boolean {
    if ((this.inFlight.get(device.name) ?? 0) >= IN_FLIGHT_PER_DEVICE) return false;
    const me = device.user.id;
    const conversationId = pick(device.conversationIds);
    const free = (this.targets.get(conversationId) ?? []).slice(-RECENT).filter((target) => {
      const stance = this.stanceOf(target, me);
      return !stance.isBusy && !stance.isDone;
    });
    const shown = free.filter((target) => !target.isDeleted);
    const mine = shown.filter((target) => target.senderId === me);
    const theirs = shown.filter((target) => target.senderId !== me);
    const deletable = (targets: Target[]) => targets.filter((target) => !target.isDeletionAsked);
    const isAdmin = device.adminOf.includes(conversationId);
    const elsewhere = device.conversationIds.filter((id) => id !== conversationId);
    const roll = Math.random();
    // Admins moderate their groups often enough that every run deletes others' messages.
    if (isAdmin && Math.random() < 0.3 && deletable(theirs).length > 0)
      this.deleteForEveryone(device, pick(deletable(theirs)));
    else if (roll < 0.4 && theirs.length > 0) this.react(device, pick(theirs));
    else if (roll < 0.62 && mine.length > 0) this.edit(device, pick(mine));
    else if (roll < 0.74 && deletable(mine).length > 0)
      this.deleteForEveryone(device, pick(deletable(mine)));
    else if (roll < 0.87 && shown.length > 0 && elsewhere.length > 0)
      this.forward(device, pick(shown), pick(elsewhere));
    else if (free.length > 0) this.deleteForMe(device, pick(free));
    else return false;
    return true;
  }

  /** Resolves once every action asked for has been acked or given up on by its client. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /**
   * Changes acked and given up on (of the acked, deletions by admins of others' messages),
   * and forwards acked and given up on.
   */
  counts(): {
    ok: number;
    failed: number;
    byAdmins: number;
    forwarded: number;
    forwardsFailed: number;
  } {
    const ok = this.actions.filter((action) => action.outcome === 'ok').length;
    const forwarded = this.forwards.filter((forward) => forward.outcome === 'ok').length;
    return {
      ok,
      failed: this.actions.length - ok,
      byAdmins: this.othersDeleted,
      forwarded,
      forwardsFailed: this.forwards.length - forwarded,
    };
  }

  private react(device: Device, target: Target): void {
    const stance = this.stanceOf(target, device.user.id);
    // Always a change: another emoji than the one they have, or none instead of one.
    const emoji =
      stance.emoji !== null && Math.random() < 0.3
        ? null
        : pick(EMOJIS.filter((candidate) => candidate !== stance.emoji));
    this.run(
      device,
      target,
      { kind: 'react', emoji },
      () => device.client.react(target.conversationId, target.seq, emoji),
      () => (stance.emoji = emoji),
    );
  }

  private edit(device: Device, target: Target): void {
    target.edits += 1;
    const body = `${target.body} (edit ${target.edits})`;
    this.run(
      device,
      target,
      { kind: 'edit', body },
      () => device.client.editMessage(target.conversationId, target.seq, body),
      () => undefined,
    );
  }

  /** Its sender's own message, or, by a group admin, anyone's. */
  private deleteForEveryone(device: Device, target: Target): void {
    target.isDeletionAsked = true;
    this.run(
      device,
      target,
      { kind: 'delete-everyone' },
      () => device.client.deleteMessage(target.conversationId, target.seq, 'everyone'),
      (stance) => {
        target.isDeleted = true;
        stance.isDone = true;
        if (target.senderId !== device.user.id) this.othersDeleted += 1;
      },
    );
  }

  private deleteForMe(device: Device, target: Target): void {
    this.run(
      device,
      target,
      { kind: 'delete-me' },
      () => device.client.deleteMessage(target.conversationId, target.seq, 'me'),
      (stance) => (stance.isDone = true),
    );
  }

  /**
   * A copy into another conversation of the device's person. It changes nothing of the
   * source, so it takes no turn of their stance; the copy, once acked, is one more message to
   * act on.
   */
  private forward(device: Device, source: Target, into: string): void {
    const forward: ForwardAction = {
      sourceConversationId: source.conversationId,
      seq: source.seq,
      targetConversationId: into,
      userId: device.user.id,
      device: device.name,
      outcome: 'failed',
      copy: null,
    };
    this.forwards.push(forward);
    this.track(
      device,
      device.client.forwardMessages(source.conversationId, [source.seq], [into]).then((result) => {
        if (!result.ok) return;
        const copy = result.copies[0]!;
        forward.outcome = 'ok';
        forward.copy = {
          clientMsgId: copy.clientMsgId,
          id: copy.id,
          seq: copy.seq,
          body: copy.body,
        };
        this.noteStored({
          conversationId: into,
          seq: copy.seq,
          senderId: copy.senderId,
          body: copy.body,
        });
      }),
    );
  }

  private run(
    device: Device,
    target: Target,
    change: Pick<ChangeAction, 'kind' | 'body' | 'emoji'>,
    call: () => Promise<{ ok: boolean }>,
    onAcked: (stance: Stance) => void,
  ): void {
    const stance = this.stanceOf(target, device.user.id);
    stance.isBusy = true;
    // Recorded when asked: the checker reads the order of one person's actions on a message.
    const action: ChangeAction = {
      ...change,
      conversationId: target.conversationId,
      seq: target.seq,
      userId: device.user.id,
      device: device.name,
      outcome: 'failed',
    };
    this.actions.push(action);
    this.track(
      device,
      call().then((result) => {
        stance.isBusy = false;
        if (result.ok) {
          action.outcome = 'ok';
          onAcked(stance);
        } else {
          stance.isDone = true;
        }
      }),
    );
  }

  /** Counts an action of the device as under way until it ends. */
  private track(device: Device, ending: Promise<void>): void {
    this.inFlight.set(device.name, (this.inFlight.get(device.name) ?? 0) + 1);
    const running = ending.then(() => {
      this.inFlight.set(device.name, (this.inFlight.get(device.name) ?? 1) - 1);
      this.running.delete(running);
    });
    this.running.add(running);
  }

  private stanceOf(target: Target, userId: string): Stance {
    const key = `${userId} ${target.conversationId}#${target.seq}`;
    let stance = this.stances.get(key);
    if (!stance) this.stances.set(key, (stance = { isBusy: false, isDone: false, emoji: null }));
    return stance;
  }
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}
