// A fresh, empty database for one test file: a new PostgreSQL database on the test server
// (PARLEY_TEST_DB=postgres) or a new PGlite folder (PARLEY_TEST_DB=pglite, the default), unless
// the test asks for a kind.

import { rmSync } from 'node:fs';
import postgres from 'postgres';
import { insertUser, openDatabase, setUserRole, type Database } from '../../db';
import { hashPassword } from '../../server/auth/passwords';
import { makeTempDir } from './paths';
import { copyPgliteTemplate } from './pglite-template';

export const TEST_DB = process.env.PARLEY_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** Where the PostgreSQL suites create their databases. */
export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** Pass to a server's start: a PostgreSQL URL, or a PGlite data folder. */
  serverOptions: { databaseUrl?: string; dataDir: string };
  /** Removes the database (or folder) again. */
  drop(): Promise<void>;
}

/** A data folder for a server of its own: a copy of the migrated PGlite template if there is one. */
export function makeDataDir(): string {
  const dataDir = makeTempDir();
  copyPgliteTemplate(dataDir);
  return dataDir;
}

export async function createTestDatabase(
  kind: 'pglite' | 'postgres' = TEST_DB,
): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dataDir = makeDataDir();
    return {
      serverOptions: { dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `parley_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL}. Start it ` +
        '(pg_ctlcluster --skip-systemctl-redirect 15 main start) or set TEST_DATABASE_URL.',
      { cause: error },
    );
  }
  await admin.end();
  const dataDir = makeTempDir();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    serverOptions: { databaseUrl: url.toString(), dataDir },
    drop: async () => {
      const cleanup = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `fn` on the database directly, before a server opens it (PGlite allows one process per
 * folder). Used to seed settings.
 */
export async function withDatabase<T>(
  serverOptions: TestDatabase['serverOptions'],
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase(serverOptions);
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

/** An admin account, written straight into a database no server has open yet. */
export async function seedAdmin(
  serverOptions: TestDatabase['serverOptions'],
  username: string,
  password: string,
): Promise<void> {
  await withDatabase(serverOptions, async (db) => {
    await insertUser(db, { username, passwordHash: await hashPassword(password) });
    await setUserRole(db, username, 'admin');
  });
}
