// What domain functions need, passed in explicitly so tests and entry points can build it.

import type { Database, MarkerAdvance, MarkerMove, SendResult, TextItem } from '../db';
import type { SessionFinder } from './auth/sessions';
import type { SettingsStore } from './chat/settings';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Passwords } from './auth/passwords';
import type { Failpoints } from './failpoints';
import type { Logger } from './logger';
import type { Batcher } from './lib/batcher';
import type { Metrics } from './metrics';
import type { RateLimits } from './rate-limit/rate-limits';

export interface Deps {
  db: Database;
  config: Config;
  logger: Logger;
  /** The time for session expiry and idleness; Date.now unless an embedder passes another. */
  clock: Clock;
  /** Test hooks; empty in production (see failpoints.ts). */
  failpoints: Failpoints;
  settings: SettingsStore;
  /** Hashing and verifying passwords (argon2id at OWASP's cost unless an embedder says). */
  passwords: Passwords;
  metrics: Metrics;
  /** Per-user and per-address limits (rate-limit/rate-limits.ts). */
  rateLimits: RateLimits;
  /** Stores text messages with group commit (see storeMessages). */
  messageWriter: Batcher<TextItem, SendResult>;
  /** Moves delivered and read markers with group commit (see advanceMarkers). */
  markerWriter: Batcher<MarkerMove, MarkerAdvance | null>;
  /** Looks up the sessions of handshakes and requests, many at once (see authenticateToken). */
  sessionFinder: SessionFinder;
}
