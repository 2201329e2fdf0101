// zod schemas for every request body and event payload. Objects are strict: unknown fields fail.

import { z } from 'zod';
import {
  GROUP_ADD_MAX,
  GROUP_TITLE_MAX_LENGTH,
  HISTORY_PAGE_MAX,
  PRESENCE_QUERY_MAX,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from './limits';
import { hasVisibleText } from './text';

const USERNAME_PATTERN = new RegExp(
  `^[a-z][a-z0-9_]{${USERNAME_MIN_LENGTH - 1},${USERNAME_MAX_LENGTH - 1}}$`,
);

/** C0 controls (NUL among them) and DEL: never part of a name. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export const USERNAME_RULE = `Usernames are ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} characters: letters a to z, digits and underscores, starting with a letter.`;

/** What sign-up asks of a new password: its length here, the rest checked by the server. */
export const PASSWORD_RULE = `Passwords are ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, with at least 4 different ones, and must not contain your username or be a common password.`;

/** A username as typed: case-insensitive, surrounding spaces ignored. */
export const Username = z
  .string({ error: 'Username must be text.' })
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, { error: USERNAME_RULE });

export const NewPassword = z
  .string({ error: 'Password must be text.' })
  .min(PASSWORD_MIN_LENGTH, {
    error: `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
  })
  .max(PASSWORD_MAX_LENGTH, {
    error: `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  });

export const SignUpRequest = z.strictObject({ username: Username, password: NewPassword });

/** Sign-in checks only the shape: rules for new passwords must not lock out old accounts. */
export const SignInRequest = z.strictObject({
  username: z
    .string({ error: 'Username must be text.' })
    .trim()
    .toLowerCase()
    .min(1, { error: 'Enter your username.' })
    .max(64, { error: 'Username is too long.' })
    // PostgreSQL cannot even compare text with NUL in it: refuse before the lookup fails.
    .refine((username) => !CONTROL_CHARACTER.test(username), {
      error: 'Usernames cannot contain control characters.',
    }),
  password: z
    .string({ error: 'Password must be text.' })
    .min(1, { error: 'Enter your password.' })
    .max(PASSWORD_MAX_LENGTH, {
      error: `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
    }),
});

export const Uuid = z.uuid({ error: 'Must be a UUID.' });

/** Largest seq PostgreSQL's integer column holds. */
const SEQ_MAX = 2_147_483_647;

/**
 * A whole number in [min, max]. One message names the whole rule: an error set on z.int() also
 * answers its min and max checks, and "-1: Must be a whole number." would send people astray.
 */
function wholeNumber(min: number, max: number) {
  return z
    .int({ error: `Must be a whole number from ${min} to ${max}.` })
    .min(min)
    .max(max);
}

export const Seq = wholeNumber(0, SEQ_MAX);
/** A seq that names a message: messages start at 1. */
const MessageSeq = wholeNumber(1, SEQ_MAX);

export const ConversationListRequest = z.strictObject({});
/** Events that name one conversation and nothing else. */
export const ConversationRequest = z.strictObject({ conversationId: Uuid });
export const ConversationStartRequest = z.strictObject({ username: Username });
export const ConversationMarkReadRequest = z.strictObject({ conversationId: Uuid, seq: Seq });
export const ConversationMarkDeliveredRequest = z.strictObject({ conversationId: Uuid, seq: Seq });
export const MessageSendRequest = z.strictObject({
  conversationId: Uuid,
  clientMsgId: Uuid,
  // Length, emptiness and well-formedness are checked against the live limit by the server,
  // which answers with a specific error code (see protocol/text.ts).
  body: z.string({ error: 'Message body must be text.' }),
});
export const MessageHistoryRequest = z
  .strictObject({
    conversationId: Uuid,
    /** Page backwards: the messages just below this seq. */
    beforeSeq: MessageSeq.optional(),
    /** Page forwards (sync): the messages just above this seq, e.g. the device's cursor. */
    afterSeq: Seq.optional(),
    limit: wholeNumber(1, HISTORY_PAGE_MAX).optional(),
  })
  .refine((value) => value.beforeSeq === undefined || value.afterSeq === undefined, {
    error: 'Give beforeSeq or afterSeq, not both.',
  });

const Usernames = (min: number) =>
  z
    .array(Username, { error: 'Give the members as a list of usernames.' })
    .min(min, { error: 'Name at least one member.' })
    .max(GROUP_ADD_MAX, { error: `At most ${GROUP_ADD_MAX} members at a time.` });

export const GroupTitle = z
  .string({ error: 'Group name must be text.' })
  .trim()
  .min(1, { error: 'Give the group a name.' })
  .max(GROUP_TITLE_MAX_LENGTH, {
    error: `Group names are at most ${GROUP_TITLE_MAX_LENGTH} characters.`,
  })
  .refine((title) => !CONTROL_CHARACTER.test(title), {
    error: 'Group names cannot contain control characters.',
  })
  .refine(hasVisibleText, { error: 'Give the group a name.' })
  .refine((title) => title.isWellFormed(), {
    error: 'Group names cannot contain broken characters (an unpaired UTF-16 surrogate).',
  });

export const GroupCreateRequest = z.strictObject({
  title: GroupTitle,
  usernames: Usernames(0),
  /** Generated by the client once per group it creates, and reused for every retry. */
  clientRequestId: Uuid,
});
export const GroupAddMembersRequest = z.strictObject({
  conversationId: Uuid,
  usernames: Usernames(1),
});
export const GroupMemberRequest = z.strictObject({ conversationId: Uuid, userId: Uuid });
export const GroupSetRoleRequest = z.strictObject({
  conversationId: Uuid,
  userId: Uuid,
  role: z.enum(['member', 'admin'], { error: 'Role must be "member" or "admin".' }),
});
export const MessageReceiptsRequest = z.strictObject({ conversationId: Uuid, seq: MessageSeq });
export const PresenceQueryRequest = z.strictObject({
  userIds: z
    .array(Uuid, { error: 'Give the users as a list of ids.' })
    .min(1, { error: 'Name at least one user.' })
    .max(PRESENCE_QUERY_MAX, { error: `At most ${PRESENCE_QUERY_MAX} users at a time.` }),
});

export const PrivacyUpdateRequest = z
  .strictObject({
    presence: z
      .enum(['contacts', 'nobody'], { error: 'presence must be "contacts" or "nobody".' })
      .optional(),
    readReceipts: z.boolean({ error: 'readReceipts must be true or false.' }).optional(),
  })
  .refine((input) => input.presence !== undefined || input.readReceipts !== undefined, {
    error: 'Give presence, readReceipts or both.',
  });

export const ConversationMuteRequest = z.strictObject({
  conversationId: Uuid,
  isMuted: z.boolean({ error: 'isMuted must be true or false.' }),
});

/** Stored as text, so NUL (which PostgreSQL refuses) and other control characters are refused. */
const PushEndpoint = z
  .string({ error: 'endpoint must be text.' })
  .max(2048, { error: 'endpoint is too long.' })
  .refine((endpoint) => !CONTROL_CHARACTER.test(endpoint), {
    error: 'endpoint cannot contain control characters.',
  });

const Base64Url = (what: string, bytes: number) =>
  z
    .string({ error: `${what} must be text.` })
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { error: `${what} must be base64url.` })
    .refine((value) => Buffer.byteLength(value.replace(/=+$/, ''), 'base64url') === bytes, {
      error: `${what} must be ${bytes} bytes.`,
    });

/** What PushSubscription.toJSON() gives in a browser. */
export const PushSubscriptionRequest = z.strictObject({
  endpoint: PushEndpoint.pipe(z.url({ error: 'endpoint must be a URL.' })),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: Base64Url('keys.p256dh', 65),
    auth: Base64Url('keys.auth', 16),
  }),
});

export const PushUnsubscribeRequest = z.strictObject({ endpoint: PushEndpoint });

/**
 * The first problem of a failed parse: a sentence a person can read (it never names an
 * internal field) and, apart, the path of the field it is about (`password`, `usernames.1`),
 * absent when the problem is the request as a whole.
 */
export function describeZodError(error: z.ZodError): { message: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { message: 'The request is not valid.' };
  const field = issue.path.map(String).join('.');
  // zod would say "Invalid input: expected object, received array".
  if (!field && issue.code === 'invalid_type' && issue.expected === 'object') {
    return { message: 'The request must be one JSON object.' };
  }
  return field ? { message: issue.message, field } : { message: issue.message };
}
