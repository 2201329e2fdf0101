// The one error type domain code throws for expected failures. Its message is shown to people;
// anything else that is thrown becomes INTERNAL with a generic message (details go to the log).

import { isDatabaseUnreachable } from '../db';
import { ErrorCode, type AckError } from '../protocol';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;
  /** The request field the error is about, for programs (the message never names it). */
  readonly field: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number; field?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
    this.field = options?.field;
  }
}

export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on the server. Please try again.';

export const UNAVAILABLE_MESSAGE =
  'The server cannot reach its database right now. Your request was not carried out; it can be sent again shortly.';
/** How long a client should wait before it tries again while the database is away. */
export const UNAVAILABLE_RETRY_AFTER_MS = 2_000;

/**
 * The ack for any thrown value: AppErrors keep their message, a database that cannot be
 * reached is UNAVAILABLE (retryable), everything else is generic.
 */
export function toAckError(error: unknown): AckError {
  if (error instanceof AppError) {
    return {
      ok: false,
      code: error.code,
      message: error.message,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.field === undefined ? {} : { field: error.field }),
    };
  }
  if (isDatabaseUnreachable(error)) {
    return {
      ok: false,
      code: ErrorCode.Unavailable,
      message: UNAVAILABLE_MESSAGE,
      retryAfterMs: UNAVAILABLE_RETRY_AFTER_MS,
    };
  }
  return { ok: false, code: ErrorCode.Internal, message: INTERNAL_ERROR_MESSAGE };
}

/** The same error for "does not exist" and "you are not in it", so ids reveal nothing. */
export function conversationNotFound(): AppError {
  return new AppError(ErrorCode.NotFound, 'No such conversation.');
}
