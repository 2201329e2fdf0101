// Work under way that a node about to stop waits for: the client events being handled (each
// may be a send between COMMIT and ack) before it closes its sockets, and the push
// notifications being sent before it closes its database.

export class InFlightWork {
  private count = 0;
  private waiters: (() => void)[] = [];

  start(): () => void {
    this.count++;
    let isDone = false;
    return () => {
      if (isDone) return;
      isDone = true;
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  get size(): number {
    return this.count;
  }

  /** Resolves true when nothing is in flight, or false when `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
