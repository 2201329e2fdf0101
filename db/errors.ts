// Recognising database errors without leaking them. Drizzle wraps driver errors in
// DrizzleQueryError, whose message holds the SQL and its parameters (message bodies!), so
// callers look only at the PostgreSQL error code and constraint name found in the cause chain,
// or at the driver's own code when the database never answered.

import { DrizzleQueryError } from 'drizzle-orm';

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  constraint_name?: unknown;
}

/**
 * The first error in the cause chain (the error itself, then what it wraps, five deep) whose
 * string `code` passes `matches`.
 */
function findByCode(
  error: unknown,
  matches: (code: string) => boolean,
): (PgErrorFields & { code: string }) | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const fields = current as PgErrorFields & { cause?: unknown };
    if (typeof fields.code === 'string' && matches(fields.code)) {
      return fields as PgErrorFields & { code: string };
    }
    current = fields.cause;
  }
  return null;
}

/** PostgreSQL's error: the one whose code is a SQLSTATE. */
function findPgError(error: unknown): PgErrorFields | null {
  return findByCode(error, (code) => /^[0-9A-Z]{5}$/.test(code));
}

/** True for a unique violation, optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = findPgError(error);
  if (!pg || pg.code !== '23505') return false;
  if (!constraint) return true;
  return (pg.constraint_name ?? pg.constraint) === constraint;
}

/**
 * True for a query that failed (drizzle's error), whatever failed it: its message holds the SQL
 * and parameters.
 */
export function isQueryError(error: unknown): boolean {
  return error instanceof DrizzleQueryError;
}

/**
 * The error drizzle throws for a failed query, named as such, made without a database: for the
 * http-error failpoint (server/failpoints.ts).
 */
export function failedQueryError(query: string, params: unknown[]): Error {
  const error = new DrizzleQueryError(query, params);
  error.name = 'DrizzleQueryError';
  return error;
}

/**
 * SQLSTATE and constraint of a database error, or the driver's code (CONNECTION_ENDED,
 * ECONNREFUSED...) when the database never answered: safe to log (no SQL, no parameters).
 */
export function describeDatabaseError(error: unknown): {
  sqlState?: string;
  constraint?: string;
  code?: string;
} {
  const pg = findPgError(error);
  if (!pg) {
    // The driver's or the socket's code, when there is no SQLSTATE.
    const driver = findByCode(error, (code) => /^[A-Za-z0-9_]{1,64}$/.test(code));
    return driver ? { code: driver.code } : {};
  }
  const constraint = pg.constraint_name ?? pg.constraint;
  return {
    sqlState: String(pg.code),
    ...(typeof constraint === 'string' ? { constraint } : {}),
  };
}

/**
 * Codes of a database that cannot be reached: the driver's own (postgres.js), the socket's,
 * and PostgreSQL's connection exceptions (class 08) and shutdowns (57P01-57P03).
 */
const UNREACHABLE_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);

/** True when the error (or one it wraps) says the database could not be reached. */
export function isDatabaseUnreachable(error: unknown): boolean {
  return (
    findByCode(error, (code) => UNREACHABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) !==
    null
  );
}
