// What domain functions need, passed in explicitly so tests and entry points can build it.

import type { Database, MarkerAdvance, MarkerMove, SendResult, TextItem } from '../db';
import type { SettingsStore } from './chat/settings';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Batcher } from './lib/batcher';
import type { Metrics } from './metrics';
import type { RateLimits } from './rate-limit/rate-limits';

export interface Deps {
  db: Database;
  config: Config;
  logger: Logger;
  settings: SettingsStore;
  metrics: Metrics;
  /** Per-user and per-address limits (rate-limit/rate-limits.ts). */
  rateLimits: RateLimits;
  /** Stores text messages with group commit (see storeMessages). */
  messageWriter: Batcher<TextItem, SendResult>;
  /** Moves delivered and read markers with group commit (see advanceMarkers). */
  markerWriter: Batcher<MarkerMove, MarkerAdvance | null>;
}
