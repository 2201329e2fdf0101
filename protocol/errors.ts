// Error codes every ack and HTTP error carries. Messages are for people; codes are for programs.

export const ErrorCode = {
  /** The payload does not match the event's schema (wrong types, unknown fields, missing fields). */
  BadRequest: 'BAD_REQUEST',
  /** No valid session: sign in again. */
  Unauthenticated: 'UNAUTHENTICATED',
  /** Signed in, but not allowed (for example, not an admin). */
  Forbidden: 'FORBIDDEN',
  /** The thing does not exist, or the user may not know that it exists. */
  NotFound: 'NOT_FOUND',
  UsernameTaken: 'USERNAME_TAKEN',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  /** An admin disabled the account: sign-in is refused (after the right password) until enabled. */
  AccountDisabled: 'ACCOUNT_DISABLED',
  WeakPassword: 'WEAK_PASSWORD',
  MessageEmpty: 'MESSAGE_EMPTY',
  MessageTooLong: 'MESSAGE_TOO_LONG',
  /** Text that is not well-formed Unicode or contains NUL. */
  MessageInvalid: 'MESSAGE_INVALID',
  /** A clientMsgId that was already used for a different message. */
  ClientMsgIdReused: 'CLIENT_MSG_ID_REUSED',
  /** Adding these members would make the group larger than the maximum group size. */
  GroupFull: 'GROUP_FULL',
  /** The change would leave a group without an admin. */
  LastAdmin: 'LAST_ADMIN',
  /** The user has MAX_PINNED_CONVERSATIONS chats pinned already: unpin one first. */
  PinLimit: 'PIN_LIMIT',
  /** The message is older than the edit window (settings: editWindowMinutes): it stays as it is. */
  EditWindowClosed: 'EDIT_WINDOW_CLOSED',
  /**
   * The message is older than the delete-for-everyone window (settings: deleteWindowHours);
   * deleting it for yourself still works.
   */
  DeleteWindowClosed: 'DELETE_WINDOW_CLOSED',
  /**
   * More messages match a search than a search looks through (SEARCH_MATCHES_MAX): add a word,
   * or search within one conversation.
   */
  SearchTooBroad: 'SEARCH_TOO_BROAD',
  /**
   * One of the two people of a direct conversation blocked the other: nothing was sent or
   * started. The message says which way ("Unblock … to send a message" to the blocker).
   */
  Blocked: 'BLOCKED',
  UnknownEvent: 'UNKNOWN_EVENT',
  /** An HTTP method the REST endpoint does not take (the Allow header lists those it does). */
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  /** A REST request body larger than HTTP_MAX_BODY_BYTES. */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** A state-changing REST request that is not Content-Type: application/json. */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited: 'RATE_LIMITED',
  /**
   * The server cannot reach its database for now: nothing was done. Retry the same request
   * (the same clientMsgId) after retryAfterMs, with backoff.
   */
  Unavailable: 'UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface AckError {
  ok: false;
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
  /** For BAD_REQUEST: the path of the field that is wrong (`password`, `usernames.1`). */
  field?: string;
}

export type AckSuccess<T> = { ok: true } & T;

/** Every client event is answered with exactly one of these. */
export type Ack<T> = AckSuccess<T> | AckError;

/** HTTP status for each code, used by the REST endpoints. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_DISABLED: 403,
  WEAK_PASSWORD: 400,
  MESSAGE_EMPTY: 400,
  MESSAGE_TOO_LONG: 400,
  MESSAGE_INVALID: 400,
  CLIENT_MSG_ID_REUSED: 409,
  GROUP_FULL: 409,
  LAST_ADMIN: 409,
  PIN_LIMIT: 409,
  EDIT_WINDOW_CLOSED: 403,
  DELETE_WINDOW_CLOSED: 403,
  SEARCH_TOO_BROAD: 400,
  BLOCKED: 403,
  UNKNOWN_EVENT: 400,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
