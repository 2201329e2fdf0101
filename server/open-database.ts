// Opens the database the configuration names (PGlite in DATA_DIR, or PostgreSQL at
// DATABASE_URL), migrated, and says in the log which one it is.

import { openDatabase, type DatabaseHandle } from '../db';
import type { Config } from './config';
import type { Logger } from './logger';

export async function openConfiguredDatabase(
  config: Config,
  logger: Logger,
): Promise<DatabaseHandle> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    preparedStatements: config.databasePreparedStatements,
  });
  logger.info(
    { event: 'database.ready', driver: database.driver, location: database.location },
    database.driver === 'pglite'
      ? `database: embedded PGlite in ${database.location}`
      : `database: PostgreSQL at ${database.location}`,
  );
  return database;
}
