// The live operator settings of this node, read once at start and kept in memory so that no
// message send pays a database round trip for them.

import { countGroupsLargerThan, readSettings, writeSettings, type Database } from '../../db';
import { DEFAULT_SETTINGS, SettingsSchema, type ClientLimits, type Settings } from '../../protocol';
import type { Logger } from '../logger';

export class SettingsStore {
  private values: Settings;

  private constructor(values: Settings) {
    this.values = values;
  }

  static async load(db: Database, logger: Logger): Promise<SettingsStore> {
    const stored = await readSettings(db);
    return new SettingsStore(parseStoredSettings(stored, logger));
  }

  get current(): Settings {
    return this.values;
  }

  /** Stores validated changes and applies them on this node at once. */
  async update(db: Database, changes: Partial<Settings>, logger: Logger): Promise<Settings> {
    await writeSettings(db, changes);
    await this.reload(db, logger);
    return this.values;
  }

  /**
   * Groups with more members than the current maximum: a lower limit removes no one, so these
   * keep their members, and adding to them is refused until they are below it.
   */
  countGroupsOverMaxSize(db: Database): Promise<number> {
    return countGroupsLargerThan(db, this.values.maxGroupSize);
  }

  /** Reads the stored settings again (another node changed them). */
  async reload(db: Database, logger: Logger): Promise<void> {
    this.values = parseStoredSettings(await readSettings(db), logger);
  }
}

/** Each stored value that is valid wins over its default; invalid ones are logged and ignored. */
function parseStoredSettings(stored: Record<string, unknown>, logger: Logger): Settings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (!(key in stored)) continue;
    const field = SettingsSchema.shape[key].safeParse(stored[key]);
    if (field.success) merged[key] = field.data;
    else logger.warn({ setting: key }, 'ignoring an invalid stored setting; using its default');
  }
  return SettingsSchema.parse(merged);
}

/** The limits a client checks before it asks (session:ready, settings:updated). */
export function clientLimits(settings: Settings): ClientLimits {
  return {
    maxMessageLength: settings.maxMessageLength,
    editWindowMinutes: settings.editWindowMinutes,
    deleteWindowHours: settings.deleteWindowHours,
  };
}
