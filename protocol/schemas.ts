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

const USERNAME_PATTERN = new RegExp(
  `^[a-z][a-z0-9_]{${USERNAME_MIN_LENGTH - 1},${USERNAME_MAX_LENGTH - 1}}$`,
);

export const USERNAME_RULE = `Usernames are ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} characters: letters, digits and underscores, starting with a letter.`;

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
  username: z.string({ error: 'Username must be text.' }).trim().toLowerCase().min(1).max(64),
  password: z
    .string({ error: 'Password must be text.' })
    .min(1, { error: 'Enter your password.' })
    .max(PASSWORD_MAX_LENGTH),
});

export const Uuid = z.uuid({ error: 'Must be a UUID.' });
export const Seq = z.int({ error: 'Must be a whole number.' }).min(0).max(2_147_483_647);

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
    beforeSeq: Seq.min(1).optional(),
    /** Page forwards (sync): the messages just above this seq, e.g. the device's cursor. */
    afterSeq: Seq.optional(),
    limit: z.int({ error: 'Must be a whole number.' }).min(1).max(HISTORY_PAGE_MAX).optional(),
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
  .refine((title) => title.isWellFormed() && !/[\u0000-\u001f]/.test(title), {
    error: 'Group names cannot contain control characters.',
  });

export const GroupCreateRequest = z.strictObject({ title: GroupTitle, usernames: Usernames(0) });
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
export const MessageReceiptsRequest = z.strictObject({ conversationId: Uuid, seq: Seq.min(1) });
export const PresenceQueryRequest = z.strictObject({
  userIds: z
    .array(Uuid)
    .min(1)
    .max(PRESENCE_QUERY_MAX, { error: `At most ${PRESENCE_QUERY_MAX} users at a time.` }),
});

export const ConversationMuteRequest = z.strictObject({
  conversationId: Uuid,
  isMuted: z.boolean({ error: 'isMuted must be true or false.' }),
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
  endpoint: z
    .url({ error: 'endpoint must be a URL.' })
    .max(2048, { error: 'endpoint is too long.' }),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: Base64Url('keys.p256dh', 65),
    auth: Base64Url('keys.auth', 16),
  }),
});

export const PushUnsubscribeRequest = z.strictObject({ endpoint: z.string().max(2048) });

/** The first problem of a failed parse, as one sentence a person can read. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is not valid.';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
