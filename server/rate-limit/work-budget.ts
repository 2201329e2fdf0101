// The work budget of each person: every client event spends points from it, weighted by the
// work it causes (EVENT_WORK in server/realtime/event-gate.ts), so that reads are limited as
// well as writes. A token bucket per person: `workBurst` points when full, refilled at
// `workPointsPerSecond` (the settings). It reads the time from the node's clock, so a test
// moves the clock instead of waiting.
//
// Counted in this node's memory: the work it protects is mostly this node's (the event loop,
// its database pool), and behind nginx one person's sockets reach one node anyway.

import type { SettingsStore } from '../chat/settings';
import type { Clock } from '../clock';

interface Bucket {
  points: number;
  at: number;
}

/** Buckets that have filled up again are dropped this often, to free their memory. */
const SWEEP_EVERY_MS = 60_000;

export class WorkBudget {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt: number;

  constructor(private readonly deps: { clock: Clock; settings: SettingsStore }) {
    this.sweptAt = deps.clock.now();
  }

  /**
   * Spends `cost` points of the person's budget: 0 when spent, or else, spending nothing, how
   * many milliseconds until the budget holds enough.
   */
  spend(userId: string, cost: number): number {
    const { workPointsPerSecond: rate, workBurst: burst } = this.deps.settings.current;
    const now = this.deps.clock.now();
    this.sweep(now, rate, burst);
    const price = Math.min(cost, burst); // an event dearer than the whole budget is still possible
    const bucket = this.buckets.get(userId);
    const available = bucket ? fill(bucket, now, rate, burst) : burst;
    if (available < price) return Math.max(1, Math.ceil(((price - available) * 1_000) / rate));
    this.buckets.set(userId, { points: available - price, at: now });
    return 0;
  }

  private sweep(now: number, rate: number, burst: number): void {
    if (now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    for (const [userId, bucket] of this.buckets) {
      if (fill(bucket, now, rate, burst) >= burst) this.buckets.delete(userId);
    }
  }
}

function fill(bucket: Bucket, now: number, rate: number, burst: number): number {
  return Math.min(burst, bucket.points + (Math.max(0, now - bucket.at) * rate) / 1_000);
}
