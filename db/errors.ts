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

function findPgError(error: unknown): PgErrorFields | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const fields = current as PgErrorFields & { cause?: unknown };
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) return fields;
    current = fields.cause;
  }
  return null;
}

/** True for a unique violation, optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = findPgError(error);
  if (!pg || pg.code !== '23505') return false;
  if (!constraint) return true;
  return (pg.constraint_name ?? pg.constraint) === constraint;
}

/** The first string `code` in the cause chain: the driver's or the socket's when no SQLSTATE. */
function findCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * True for a query that failed, whatever failed it: its message holds the SQL and parameters.
 * Drizzle's error, or any error whose message is built like its ("Failed query: ..."), such as
 * the stand-in the http-error failpoint throws.
 */
export function isQueryError(error: unknown): boolean {
  return (
    error instanceof DrizzleQueryError ||
    (error instanceof Error && error.message.startsWith('Failed query: '))
  );
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
    const code = findCode(error);
    return code === undefined ? {} : { code };
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
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
