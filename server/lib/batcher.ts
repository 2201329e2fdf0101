// Group commit: calls that arrive while earlier ones are being written wait, and go together
// in the next write. Under light load a call is written at once, alone; under heavy load one
// round trip and one commit serve many calls. A batcher whose callers can wait a little may
// also space its writes out, so that under load each write holds the calls of that time.

interface Waiting<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

export interface BatcherOptions {
  /** The most calls in one write. */
  maxBatch: number;
  /** Writes under way at once. */
  concurrency: number;
  /**
   * The least time, in milliseconds, from the start of one write to the start of the next
   * (default 0). A call that comes after a quiet spell is still written at once; calls that
   * come sooner wait out the rest of the spacing, and go together.
   */
  spacingMs?: number;
}

export class Batcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running = 0;
  private isScheduled = false;
  /** When the last write started (performance.now()), for the spacing. */
  private lastStartedAt = -Infinity;
  private spacingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Told when nothing waits and nothing is being written. */
  private idleWaiters: (() => void)[] = [];

  /** `write` answers each item, in order; if it throws, every call of that batch fails. */
  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly options: BatcherOptions,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // Calls that came in the same turn of the event loop (one network read) go together.
      if (!this.isScheduled) {
        this.isScheduled = true;
        setImmediate(() => {
          this.isScheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Calls waiting for a write. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Starts the calls that wait out the spacing now, as far as `concurrency` allows: for a node
   * about to close its database, which would be gone by the time the spacing is over.
   */
  hurry(): void {
    clearTimeout(this.spacingTimer);
    this.spacingTimer = undefined;
    this.lastStartedAt = -Infinity;
    this.pump();
  }

  /**
   * Resolves once every call made so far, and any made meanwhile, has been written (or has
   * failed): for a node that must not close its database under them.
   */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.running === 0 && !this.isScheduled;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const now = performance.now();
      const wait = this.lastStartedAt + (this.options.spacingMs ?? 0) - now;
      if (wait > 0) {
        this.spacingTimer ??= setTimeout(() => {
          this.spacingTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.lastStartedAt = now;
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running += 1;
      // A write that throws instead of rejecting fails its batch the same way.
      new Promise<O[]>((resolve) => resolve(this.write(batch.map((waiting) => waiting.item))))
        .then(
          (results) => {
            batch.forEach((waiting, index) => waiting.resolve(results[index] as O));
          },
          (error: unknown) => {
            for (const waiting of batch) waiting.reject(error);
          },
        )
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
    if (this.idleWaiters.length > 0 && this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
