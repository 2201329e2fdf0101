// What domain functions need, passed in explicitly so tests and entry points can build it.

import type { Database } from '../db';
import type { SettingsStore } from './chat/settings';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface Deps {
  db: Database;
  config: Config;
  logger: Logger;
  settings: SettingsStore;
  metrics: Metrics;
}
