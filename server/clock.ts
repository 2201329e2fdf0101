// Where the server reads the time for its own decisions (session expiry and idleness), so that
// an embedding program or a test can hand in another one.

export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
