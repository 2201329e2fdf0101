// zod schemas for every request body and event payload. Objects are strict: unknown fields fail.

import { z } from 'zod';
import {
  ABOUT_MAX_LENGTH,
  CHANGES_PAGE_MAX,
  DISPLAY_NAME_MAX_LENGTH,
  FORWARD_MESSAGES_MAX,
  FORWARD_TARGETS_MAX,
  GROUP_ADD_MAX,
  GROUP_DESCRIPTION_MAX_LENGTH,
  REACTION_MAX_LENGTH,
  GROUP_TITLE_MAX_LENGTH,
  HISTORY_PAGE_MAX,
  LIST_CURSORS_MAX,
  PRESENCE_QUERY_MAX,
  SEARCH_PAGE_MAX,
  SEARCH_QUERY_MAX_LENGTH,
  SEARCH_QUERY_MIN_CHARACTERS,
  SEARCH_WORDS_MAX,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  REPORT_NOTE_MAX_LENGTH,
  REPORTS_PAGE_MAX,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from './limits';
import { countCodePoints, DELETED_ACCOUNT_NAME, hasVisibleText } from './text';

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

/** Changing one's password: the current one proves it is the account's owner at the keyboard. */
export const PasswordChangeRequest = z.strictObject({
  currentPassword: z
    .string({ error: 'Current password must be text.' })
    .min(1, { error: 'Enter your current password.' })
    .max(PASSWORD_MAX_LENGTH, { error: 'Wrong current password.' }),
  newPassword: NewPassword,
});

export const AccountDeleteRequest = z.strictObject({
  password: z
    .string({ error: 'Password must be text.' })
    .min(1, { error: 'Enter your password to delete your account.' })
    .max(PASSWORD_MAX_LENGTH, { error: 'Wrong password.' }),
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

export const ConversationListRequest = z.strictObject({
  /**
   * The device's cursors (every seq up to `afterSeq` is held): the answer carries the first
   * page past each, for the conversations with news, as far as LIST_PAGES_MAX and
   * LIST_PAGE_MESSAGES_MAX go.
   */
  cursors: z
    .array(z.strictObject({ conversationId: Uuid, afterSeq: Seq }), {
      error: 'Give the cursors as a list of conversationId and afterSeq.',
    })
    .max(LIST_CURSORS_MAX, { error: `At most ${LIST_CURSORS_MAX} cursors at a time.` })
    .optional(),
});
/** Events that name one conversation and nothing else. */
export const ConversationRequest = z.strictObject({ conversationId: Uuid });
export const ConversationStartRequest = z.strictObject({ username: Username });
export const ConversationMarkReadRequest = z.strictObject({ conversationId: Uuid, seq: Seq });
export const ConversationMarkDeliveredRequest = z.strictObject({ conversationId: Uuid, seq: Seq });
const MessageBody = z.string({ error: 'Message body must be text.' });

export const MessageSendRequest = z.strictObject({
  conversationId: Uuid,
  clientMsgId: Uuid,
  // Length, emptiness and well-formedness are checked against the live limit by the server,
  // which answers with a specific error code (see protocol/text.ts).
  body: MessageBody,
  /** Answer this message of the same conversation (quoted above the new one). */
  replyToSeq: MessageSeq.optional(),
});

/** A message of a conversation, named by its seq. */
export const MessageRequest = z.strictObject({ conversationId: Uuid, seq: MessageSeq });

export const MessageEditRequest = z.strictObject({
  conversationId: Uuid,
  seq: MessageSeq,
  body: MessageBody,
  /** Generated by the client once per edit and reused for its retries: a retry changes nothing. */
  clientEditId: Uuid,
});

export const MessageDeleteRequest = z.strictObject({
  conversationId: Uuid,
  seq: MessageSeq,
  /** "everyone": the text is erased for every member; "me": hidden on all of my devices. */
  for: z.enum(['everyone', 'me'], { error: 'for must be "everyone" or "me".' }),
});

/**
 * One emoji (an RGI emoji sequence: a flag, a skin tone, a family are one). Built with the
 * constructor: the `v` flag it needs is checked by TypeScript only for targets from ES2024 on,
 * while Node 20 and current browsers all run it.
 */
const EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

export const MessageReactRequest = z.strictObject({
  conversationId: Uuid,
  seq: MessageSeq,
  /** The reaction, or null to take one's reaction away. */
  emoji: z
    .string({ error: 'emoji must be one emoji, or null to remove the reaction.' })
    .max(REACTION_MAX_LENGTH, { error: 'A reaction is one emoji.' })
    .regex(EMOJI, { error: 'A reaction is one emoji.' })
    .nullable(),
});

export const MessageForwardRequest = z.strictObject({
  /** Where the messages are now. */
  conversationId: Uuid,
  seqs: z
    .array(MessageSeq, { error: 'Give the messages as a list of seqs.' })
    .min(1, { error: 'Name at least one message.' })
    .max(FORWARD_MESSAGES_MAX, { error: `At most ${FORWARD_MESSAGES_MAX} messages at a time.` }),
  /**
   * Where the copies go, each with the clientMsgIds of its copies (one per seq, in order):
   * a retry with the same ids stores nothing twice.
   */
  targets: z
    .array(
      z.strictObject({
        conversationId: Uuid,
        clientMsgIds: z.array(Uuid, { error: 'Give one clientMsgId per message.' }),
      }),
      { error: 'Give the conversations to forward to as a list.' },
    )
    .min(1, { error: 'Name at least one conversation to forward to.' })
    .max(FORWARD_TARGETS_MAX, {
      error: `At most ${FORWARD_TARGETS_MAX} conversations at a time.`,
    }),
});

export const MessageChangesRequest = z.strictObject({
  conversationId: Uuid,
  /** The device's change cursor: changes beyond it are returned. */
  afterChangeSeq: Seq,
  limit: wholeNumber(1, CHANGES_PAGE_MAX).optional(),
});
export const MessageHistoryRequest = z
  .strictObject({
    conversationId: Uuid,
    /** Page backwards: the messages just below this seq. */
    beforeSeq: MessageSeq.optional(),
    /** Page forwards (sync): the messages just above this seq, e.g. the device's cursor. */
    afterSeq: Seq.optional(),
    /** A page around this seq (half before, half after): to show a quoted message in context. */
    aroundSeq: MessageSeq.optional(),
    limit: wholeNumber(1, HISTORY_PAGE_MAX).optional(),
  })
  .refine(
    (value) =>
      [value.beforeSeq, value.afterSeq, value.aroundSeq].filter((seq) => seq !== undefined)
        .length <= 1,
    { error: 'Give at most one of beforeSeq, afterSeq and aroundSeq.' },
  );

/** Runs of letters, digits and their combining marks: the words of a search, as people count them. */
const SEARCH_WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

/** What a search looks for: words, each found as the start of a word of the message. */
export const SearchQuery = z
  .string({ error: 'Search text must be text.' })
  .trim()
  .max(SEARCH_QUERY_MAX_LENGTH, {
    error: `Search for at most ${SEARCH_QUERY_MAX_LENGTH} characters.`,
  })
  .refine((query) => !CONTROL_CHARACTER.test(query), {
    error: 'Search text cannot contain control characters.',
  })
  .refine((query) => query.isWellFormed(), {
    error: 'Search text cannot contain broken characters (an unpaired UTF-16 surrogate).',
  })
  .refine(
    (query) => (query.match(SEARCH_WORD) ?? []).join('').length >= SEARCH_QUERY_MIN_CHARACTERS,
    { error: `Type at least ${SEARCH_QUERY_MIN_CHARACTERS} letters or digits to search.` },
  )
  .refine((query) => (query.match(SEARCH_WORD) ?? []).length <= SEARCH_WORDS_MAX, {
    error: `Search for at most ${SEARCH_WORDS_MAX} words at a time.`,
  });

/**
 * Invisible format characters (bidirectional overrides, zero-width spaces, soft hyphens...),
 * which can make one name pass for another. The zero-width joiner stays: emoji sequences
 * (👩‍💻) are made with it.
 */
const INVISIBLE_FORMAT = /(?!\u200d)\p{Cf}/u;
const LATIN = /\p{Script=Latin}/u;
const LOOK_ALIKE_SCRIPTS = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/** Text a person names themselves with, or says about themselves: one line, nothing hidden. */
function profileText(what: string, max: number) {
  return z
    .string({ error: `${what} must be text.` })
    .trim()
    .refine((text) => text.isWellFormed(), {
      error: `${what} cannot contain broken characters (an unpaired UTF-16 surrogate).`,
    })
    .refine((text) => countCodePoints(text) <= max, {
      error: `${what} is at most ${max} characters.`,
    })
    .refine((text) => !CONTROL_CHARACTER.test(text), {
      error: `${what} cannot contain control characters or line breaks.`,
    })
    .refine((text) => !INVISIBLE_FORMAT.test(text), {
      error: `${what} cannot contain invisible characters.`,
    });
}

/** A word with Latin letters and Cyrillic or Greek ones: "Аlice" with a Cyrillic А. */
function hasLookAlikeWord(name: string): boolean {
  return name.split(/\s+/u).some((word) => LATIN.test(word) && LOOK_ALIKE_SCRIPTS.test(word));
}

/** A display name; '' (or only spaces) takes it away, and the username shows instead. */
export const DisplayName = profileText('A name', DISPLAY_NAME_MAX_LENGTH)
  .refine((name) => name === '' || hasVisibleText(name), {
    error: 'A name needs at least one visible character.',
  })
  // "Аlice" with a Cyrillic А passes for "Alice": letters of scripts that look alike are not
  // mixed in one word ("Мария Smith" is fine).
  .refine((name) => !hasLookAlikeWord(name), {
    error:
      'A word of a name cannot mix Latin letters with Cyrillic or Greek ones: they look alike.',
  })
  // What deleted accounts show: a living person named so would pass for one.
  .refine((name) => name.toLowerCase() !== DELETED_ACCOUNT_NAME.toLowerCase(), {
    error: `“${DELETED_ACCOUNT_NAME}” is the name of deleted accounts. Choose another.`,
  });

export const About = profileText('“About”', ABOUT_MAX_LENGTH);

export const ProfileUpdateRequest = z
  .strictObject({
    displayName: DisplayName.optional(),
    about: About.optional(),
  })
  .refine((input) => input.displayName !== undefined || input.about !== undefined, {
    error: 'Give displayName, about or both.',
  });

export const PeopleSearchRequest = z.strictObject({ query: SearchQuery });
/** block:add and block:remove: the person, by id. */
export const BlockRequest = z.strictObject({ userId: Uuid });
export const BlockListRequest = z.strictObject({});

/** What a report says besides what it points at: optional, paragraphs allowed, nothing hidden. */
export const ReportNote = z
  .string({ error: 'A note must be text.' })
  .trim()
  .refine((text) => text.isWellFormed(), {
    error: 'A note cannot contain broken characters (an unpaired UTF-16 surrogate).',
  })
  .refine((text) => countCodePoints(text) <= REPORT_NOTE_MAX_LENGTH, {
    error: `A note is at most ${REPORT_NOTE_MAX_LENGTH} characters.`,
  })
  // NUL among them: PostgreSQL cannot store it in text.
  .refine((text) => !CONTROL_BUT_LINE_BREAK.test(text), {
    error: 'A note cannot contain control characters.',
  });

/**
 * report:create: a person ({ userId }) or a message ({ conversationId, seq }, whose sender is
 * the one reported), with an optional note for the admins.
 */
export const ReportCreateRequest = z
  .strictObject({
    userId: Uuid.optional(),
    conversationId: Uuid.optional(),
    seq: MessageSeq.optional(),
    note: ReportNote.optional(),
  })
  .refine(
    (input) =>
      input.userId === undefined
        ? input.conversationId !== undefined && input.seq !== undefined
        : input.conversationId === undefined && input.seq === undefined,
    { error: 'Report a person with userId, or a message with conversationId and seq.' },
  )
  // One of the two shapes, as the check above guarantees: handlers need no guessing.
  .transform(({ note = '', userId, conversationId, seq }) =>
    userId !== undefined ? { userId, note } : { conversationId: conversationId!, seq: seq!, note },
  );

/** The admins' list of reports: open or resolved ones, newest first, a page at a time. */
export const ReportsListRequest = z.strictObject({
  status: z.enum(['open', 'resolved'], { error: 'status must be "open" or "resolved".' }),
  /** The next page: reports older than this one (the last of the previous page). */
  beforeId: Uuid.optional(),
  limit: wholeNumber(1, REPORTS_PAGE_MAX).optional(),
});

export const ReportResolveRequest = z.strictObject({ reportId: Uuid });
export const PeopleGetRequest = z.strictObject({
  userIds: z
    .array(Uuid, { error: 'Give the users as a list of ids.' })
    .min(1, { error: 'Name at least one user.' })
    .max(PRESENCE_QUERY_MAX, { error: `At most ${PRESENCE_QUERY_MAX} users at a time.` }),
});

export const MessageSearchRequest = z.strictObject({
  query: SearchQuery,
  /** Only this conversation; all of yours when absent. */
  conversationId: Uuid.optional(),
  /** The next page: matches older than this message id (the last of the previous page). */
  beforeId: wholeNumber(1, Number.MAX_SAFE_INTEGER).optional(),
  limit: wholeNumber(1, SEARCH_PAGE_MAX).optional(),
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
/** Control characters other than the line break (a description may have paragraphs). */
const CONTROL_BUT_LINE_BREAK = /[\u0000-\u0009\u000b-\u001f\u007f]/;

export const GroupDescription = z
  .string({ error: 'A description must be text.' })
  .trim()
  .refine((text) => text.isWellFormed(), {
    error: 'A description cannot contain broken characters (an unpaired UTF-16 surrogate).',
  })
  .refine((text) => countCodePoints(text) <= GROUP_DESCRIPTION_MAX_LENGTH, {
    error: `A description is at most ${GROUP_DESCRIPTION_MAX_LENGTH} characters.`,
  })
  .refine((text) => !CONTROL_BUT_LINE_BREAK.test(text), {
    error: 'A description cannot contain control characters.',
  });

export const GroupUpdateRequest = z
  .strictObject({
    conversationId: Uuid,
    title: GroupTitle.optional(),
    /** '' removes it. */
    description: GroupDescription.optional(),
    isInfoAdminsOnly: z.boolean({ error: 'isInfoAdminsOnly must be true or false.' }).optional(),
    isSendAdminsOnly: z.boolean({ error: 'isSendAdminsOnly must be true or false.' }).optional(),
  })
  .refine(
    (input) =>
      input.title !== undefined ||
      input.description !== undefined ||
      input.isInfoAdminsOnly !== undefined ||
      input.isSendAdminsOnly !== undefined,
    { error: 'Give title, description, isInfoAdminsOnly, isSendAdminsOnly or more of them.' },
  );

export const GroupAddMembersRequest = z.strictObject({
  conversationId: Uuid,
  usernames: Usernames(1),
});
export const GroupMemberRequest = z.strictObject({ conversationId: Uuid, userId: Uuid });

/** The code of an invite link: 22 base64url characters (128 random bits). */
const InviteCode = z
  .string({ error: 'An invite code must be text.' })
  .regex(/^[A-Za-z0-9_-]{22}$/, { error: 'That is not an invite link.' });

export const GroupInviteCreateRequest = z.strictObject({
  conversationId: Uuid,
  /** End the live link and make a new one. */
  isReset: z.boolean({ error: 'isReset must be true or false.' }).optional(),
});
export const InviteCodeRequest = z.strictObject({ code: InviteCode });

/**
 * `?join=<code>` of a page address whose query holds a well-formed invite code, else '': what
 * the sign-in and sign-up pages pass on to the chats page (nothing else, so never a redirect).
 */
export function inviteQuery(search: string): string {
  const code = new URLSearchParams(search).get('join');
  return code !== null && InviteCode.safeParse(code).success ? `?join=${code}` : '';
}
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
    findableByName: z.boolean({ error: 'findableByName must be true or false.' }).optional(),
  })
  .refine(
    (input) =>
      input.presence !== undefined ||
      input.readReceipts !== undefined ||
      input.findableByName !== undefined,
    { error: 'Give presence, readReceipts, findableByName or more of them.' },
  );

export const ConversationMuteRequest = z.strictObject({
  conversationId: Uuid,
  isMuted: z.boolean({ error: 'isMuted must be true or false.' }),
});

export const ConversationPinRequest = z.strictObject({
  conversationId: Uuid,
  isPinned: z.boolean({ error: 'isPinned must be true or false.' }),
});

export const ConversationArchiveRequest = z.strictObject({
  conversationId: Uuid,
  isArchived: z.boolean({ error: 'isArchived must be true or false.' }),
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
