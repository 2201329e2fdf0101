// Structured logs (pino, JSON lines). Secrets and message bodies are never logged; the redact
// list is a second line of defence for fields that might slip into a log call.

import pino, { type Logger } from 'pino';
import { describeDatabaseError, isQueryError } from '../db';

export type { Logger };

/**
 * JSON lines to stdout, or to `destination` (an embedder's or a test's sink, which gets each
 * line as a string).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'parley' },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'body',
        '*.body',
        'cookie',
        '*.cookie',
        'headers.cookie',
        '*.headers.cookie',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * An error as a log field. Database errors keep only SQLSTATE and constraint, or the driver's
 * code when the database never answered: drizzle puts the SQL and its parameters (message
 * bodies, password hashes) into their messages.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const database = describeDatabaseError(error);
  // A failed query's message holds its SQL and parameters, whether the database answered (with
  // a SQLSTATE) or the driver gave up (a closed pool, a refused connection).
  const isDatabaseError = database.sqlState !== undefined || isQueryError(error);
  return {
    name: error.name,
    ...(isDatabaseError ? database : { message: error.message }),
    // Only the frames: a stack starts with the message, and drizzle's spans lines (its
    // "params: …" line holds message bodies and password hashes).
    stack: error.stack
      ?.split('\n')
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 7)
      .join('\n'),
  };
}
