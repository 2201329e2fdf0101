// Changes to messages during a delivery run: devices edit their people's recent messages,
// delete some for everyone and some for themselves, and react to others' messages (set,
// change, remove), through the real ChatClient methods with their own retries. What each one
// asked for and how it ended is recorded for the checker (change-checker.ts).

import type { ChangeAction } from './change-checker';
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
  private readonly targets = new Map<string, Target[]>();
  private readonly stances = new Map<string, Stance>();
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();

  /** A message the server stored (its first ack): something to act on. */
  noteStored(message: { conversationId: string; seq: number; senderId: string; body: string }) {
    const list = this.targets.get(message.conversationId) ?? [];
    list.push({ ...message, isDeleted: false, edits: 0 });
    this.targets.set(message.conversationId, list);
  }

  /**
   * One change by `device` to a recent message of one of its conversations, if any fits;
   * whether one was asked for.
   */
  act(device: Device): boolean {
    if ((this.inFlight.get(device.name) ?? 0) >= IN_FLIGHT_PER_DEVICE) return false;
    const me = device.user.id;
    const conversationId = pick(device.conversationIds);
    const free = (this.targets.get(conversationId) ?? []).slice(-RECENT).filter((target) => {
      const stance = this.stanceOf(target, me);
      return !stance.isBusy && !stance.isDone;
    });
    const mine = free.filter((target) => target.senderId === me && !target.isDeleted);
    const theirs = free.filter((target) => target.senderId !== me && !target.isDeleted);
    const roll = Math.random();
    if (roll < 0.45 && theirs.length > 0) this.react(device, pick(theirs));
    else if (roll < 0.75 && mine.length > 0) this.edit(device, pick(mine));
    else if (roll < 0.87 && mine.length > 0) this.deleteForEveryone(device, pick(mine));
    else if (free.length > 0) this.deleteForMe(device, pick(free));
    else return false;
    return true;
  }

  /** Resolves once every change asked for has been acked or given up on by its client. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  counts(): { ok: number; failed: number } {
    const ok = this.actions.filter((action) => action.outcome === 'ok').length;
    return { ok, failed: this.actions.length - ok };
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

  private deleteForEveryone(device: Device, target: Target): void {
    this.run(
      device,
      target,
      { kind: 'delete-everyone' },
      () => device.client.deleteMessage(target.conversationId, target.seq, 'everyone'),
      (stance) => {
        target.isDeleted = true;
        stance.isDone = true;
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

  private run(
    device: Device,
    target: Target,
    change: Pick<ChangeAction, 'kind' | 'body' | 'emoji'>,
    call: () => Promise<{ ok: boolean }>,
    onAcked: (stance: Stance) => void,
  ): void {
    const stance = this.stanceOf(target, device.user.id);
    stance.isBusy = true;
    this.inFlight.set(device.name, (this.inFlight.get(device.name) ?? 0) + 1);
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
    const running = call().then((result) => {
      stance.isBusy = false;
      this.inFlight.set(device.name, (this.inFlight.get(device.name) ?? 1) - 1);
      this.running.delete(running);
      if (result.ok) {
        action.outcome = 'ok';
        onAcked(stance);
      } else {
        stance.isDone = true;
      }
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
