// The database schema. Migrations in db/migrations are generated from this file by drizzle-kit.

import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Always stored in lower case: usernames are case-insensitive. */
    username: text('username').notNull().unique('users_username_key'),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['user', 'admin'] })
      .notNull()
      .default('user'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** Who sees this user's online state and last seen: their contacts, or nobody. */
    presenceVisibility: text('presence_visibility', { enum: ['contacts', 'nobody'] })
      .notNull()
      .default('contacts'),
    /** Whether others see this user's reads (blue ticks); off also hides others' reads from them. */
    isSendingReadReceipts: boolean('is_sending_read_receipts').notNull().default(true),
    /** The name shown for this user (any script); '' when they set none: the username shows. */
    displayName: text('display_name').notNull().default(''),
    /** A line about themselves ('' when none). */
    about: text('about').notNull().default(''),
    /** Whether people search finds them by a part of their name (else only by their username). */
    isFindableByName: boolean('is_findable_by_name').notNull().default(true),
    /** Disabled by an admin: sign-in is refused and no session is left. Null: enabled. */
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /**
     * The person deleted their account: the row stays (their past messages keep a sender), its
     * profile, password, sessions and push subscriptions are gone. Their username is taken by
     * nobody until the grace period after this time has passed.
     */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    // People search by the start of a username (LIKE 'ab%' needs the pattern operators).
    index('users_username_pattern_idx').on(sql`${t.username} text_pattern_ops`),
    // People search by the start of any word of a display name.
    index('users_display_name_search_idx').using(
      'gin',
      sql`to_tsvector('simple'::regconfig, ${t.displayName})`,
    ),
    check('users_role_check', sql`${t.role} in ('user', 'admin')`),
    check(
      'users_presence_visibility_check',
      sql`${t.presenceVisibility} in ('contacts', 'nobody')`,
    ),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the cookie token: a copy of the database does not let anyone sign in. */
    tokenHash: text('token_hash').notNull().unique('sessions_token_hash_key'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['direct', 'group'] }).notNull(),
    /** Group name; null for direct conversations, whose title is the other person. */
    title: text('title'),
    /** A group's description ('' when none). */
    description: text('description').notNull().default(''),
    /** A group's name, description and this setting: changed by its admins only, or by all. */
    isInfoAdminsOnly: boolean('is_info_admins_only').notNull().default(false),
    /** A group where only its admins send messages (conversation_members.can_send follows it). */
    isSendAdminsOnly: boolean('is_send_admins_only').notNull().default(false),
    /**
     * For direct conversations: the two user ids, sorted and joined. Unique, so that starting
     * the same conversation twice (even at the same moment) yields one conversation.
     */
    directKey: text('direct_key').unique('conversations_direct_key_key'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    /**
     * The id the creator's client gave the request that created a group (clientRequestId):
     * a retry of that request finds this group instead of creating another.
     */
    clientRequestId: uuid('client_request_id'),
    /** Seq of the newest message. Incremented under the row lock when a message is inserted. */
    lastSeq: integer('last_seq').notNull().default(0),
    /**
     * The change counter: every change to a message (edit, deletion, reaction, a member's
     * "delete for me") takes the next value under the row lock, in the transaction that makes
     * it, so the counter's order is the order of commits, as for last_seq.
     */
    lastChangeSeq: integer('last_change_seq').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    check('conversations_kind_check', sql`${t.kind} in ('direct', 'group')`),
    check(
      'conversations_direct_key_check',
      sql`(${t.kind} = 'direct') = (${t.directKey} is not null)`,
    ),
    check('conversations_last_seq_check', sql`${t.lastSeq} >= 0`),
    check('conversations_last_change_seq_check', sql`${t.lastChangeSeq} >= 0`),
    uniqueIndex('conversations_creator_request_key').on(t.createdBy, t.clientRequestId),
  ],
);

export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['member', 'admin'] })
      .notNull()
      .default('member'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The member sees messages from this seq on: 0 for everyone who was there from the start,
     * the seq of the "added" system message for members added later.
     */
    joinedSeq: integer('joined_seq').notNull().default(0),
    /** No push notifications for this conversation (messages still arrive). */
    isMuted: boolean('is_muted').notNull().default(false),
    /** A device of this member has every message up to and including this seq. */
    deliveredUpToSeq: integer('delivered_up_to_seq').notNull().default(0),
    /** This member has seen every message up to and including this seq. */
    readUpToSeq: integer('read_up_to_seq').notNull().default(0),
    /**
     * A direct conversation whose two people have a block between them (see blocks), on both
     * member rows: the batched append refuses texts by this flag without reading blocks.
     */
    isBlocked: boolean('is_blocked').notNull().default(false),
    /**
     * False for a member who is not an admin of a group where only admins send
     * (conversations.is_send_admins_only): kept in step by every group change, so the batched
     * append refuses their texts without reading the conversation's settings.
     */
    canSend: boolean('can_send').notNull().default(true),
    /** Pinned to the top of this member's list since then (at most MAX_PINNED_CONVERSATIONS). */
    pinnedAt: timestamp('pinned_at', { withTimezone: true }),
    /**
     * Archived by this member then. It shows as archived only while no message came since, or
     * while it is muted: the rule is applied when read (protocol isArchivedNow), never by a
     * write on the send path.
     */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'conversation_members_pkey', columns: [t.conversationId, t.userId] }),
    index('conversation_members_user_id_idx').on(t.userId),
    check('conversation_members_role_check', sql`${t.role} in ('member', 'admin')`),
    check(
      'conversation_members_markers_check',
      sql`${t.readUpToSeq} >= 0 and ${t.deliveredUpToSeq} >= ${t.readUpToSeq}`,
    ),
  ],
);

/**
 * People who were in a group and are no longer: removed by an admin, or left. They keep what
 * they saw, read-only: history from `joined_seq` up to and including `left_seq`, the system
 * message that recorded their going. Their conversation_members row is gone, so every check of
 * membership (sending, typing, receipts, presence, pushes) leaves them out without knowing of
 * this table. Added again, they are members anew and this row goes.
 */
export const formerMembers = pgTable(
  'former_members',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    joinedSeq: integer('joined_seq').notNull(),
    leftSeq: integer('left_seq').notNull(),
    reason: text('reason', { enum: ['left', 'removed'] }).notNull(),
    leftAt: timestamp('left_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'former_members_pkey', columns: [t.conversationId, t.userId] }),
    index('former_members_user_id_idx').on(t.userId),
    check('former_members_reason_check', sql`${t.reason} in ('left', 'removed')`),
    check('former_members_seq_check', sql`${t.leftSeq} >= ${t.joinedSeq}`),
  ],
);

/**
 * Who blocked whom. A blocked person cannot start a direct chat with the blocker or send to
 * their direct chat (nor the blocker to them, until they unblock: conversation_members.
 * is_blocked), and neither sees the other's presence; the blocked person stops getting the
 * blocker's profile changes. Groups they share are not touched.
 */
export const blocks = pgTable(
  'blocks',
  {
    blockerId: uuid('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: uuid('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'blocks_pkey', columns: [t.blockerId, t.blockedId] }),
    // "Who blocked me": the other direction of every check.
    index('blocks_blocked_id_idx').on(t.blockedId),
    check('blocks_not_self_check', sql`${t.blockerId} <> ${t.blockedId}`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    // Restrict: deleting a sender must never punch a hole into a conversation's seq order.
    senderId: uuid('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    clientMsgId: uuid('client_msg_id').notNull(),
    kind: text('kind', { enum: ['text', 'system'] })
      .notNull()
      .default('text'),
    /** The text; '' once deleted for everyone (the tombstone keeps id, seq, sender and time). */
    body: text('body').notNull(),
    createdAt: createdAt(),
    /**
     * The conversation's change counter (conversations.last_change_seq) at this message's
     * latest change: an edit, its deletion, or a reaction added, changed or removed. 0: never
     * changed. Reactions stamp the message rather than a row of their own, so that one index
     * finds every change and a removed reaction needs no tombstone.
     */
    changeSeq: integer('change_seq').notNull().default(0),
    /** The message of the same conversation this one answers (quotes). */
    replyToSeq: integer('reply_to_seq'),
    /** A copy made by "Forward". */
    isForwarded: boolean('is_forwarded').notNull().default(false),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    /** Deleted for everyone: when, and by whom (its sender, or a group admin). */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedBy: uuid('deleted_by').references(() => users.id, { onDelete: 'restrict' }),
  },
  (t) => [
    // Total order within a conversation; also the index every history page walks
    // (conversation_id = $1 and seq < $2 order by seq desc).
    unique('messages_conversation_seq_key').on(t.conversationId, t.seq),
    // Idempotent sends: a retry of the same clientMsgId finds the stored message.
    unique('messages_sender_client_msg_key').on(t.senderId, t.clientMsgId),
    // The changes beyond a device's change cursor (message:changes). Partial: most messages
    // never change, and a send must not pay for an index entry it does not need.
    index('messages_conversation_change_seq_idx')
      .on(t.conversationId, t.changeSeq)
      .where(sql`${t.changeSeq} > 0`),
    // Deleted messages above a read marker lower its unread count.
    index('messages_conversation_deleted_idx')
      .on(t.conversationId, t.seq)
      .where(sql`${t.deletedAt} is not null`),
    // Message search (db/queries/search.ts): the words of every text message. An expression
    // index, not a stored column: the words take no room in the table, and an edit or a
    // deletion (which empties the body) changes them in the same statement.
    index('messages_search_idx')
      .using('gin', sql`to_tsvector('simple'::regconfig, ${t.body})`)
      .where(sql`${t.kind} = 'text'`),
    check('messages_seq_check', sql`${t.seq} > 0`),
    check('messages_kind_check', sql`${t.kind} in ('text', 'system')`),
    check('messages_change_seq_check', sql`${t.changeSeq} >= 0`),
    check(
      'messages_deleted_check',
      sql`(${t.deletedAt} is null) = (${t.deletedBy} is null) and (${t.deletedAt} is null or ${t.body} = '')`,
    ),
  ],
);

/** One reaction per person per message; its changes stamp the message's change_seq. */
export const messageReactions = pgTable(
  'message_reactions',
  {
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    reactedAt: timestamp('reacted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'message_reactions_pkey', columns: [t.messageId, t.userId] })],
);

/**
 * "Delete for me": the message is hidden on all of this user's devices. The hide takes a
 * value of the conversation's change counter of its own (change_seq): only the hider's
 * devices see that change.
 */
export const messageHides = pgTable(
  'message_hides',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull(),
    seq: integer('seq').notNull(),
    changeSeq: integer('change_seq').notNull(),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'message_hides_pkey', columns: [t.userId, t.conversationId, t.seq] }),
    foreignKey({
      name: 'message_hides_message_fk',
      columns: [t.conversationId, t.seq],
      foreignColumns: [messages.conversationId, messages.seq],
    }).onDelete('cascade'),
  ],
);

/** The clientEditIds applied to each message: a retried edit finds its id and changes nothing. */
export const messageEdits = pgTable(
  'message_edits',
  {
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    clientEditId: uuid('client_edit_id').notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'message_edits_pkey', columns: [t.messageId, t.clientEditId] })],
);

/**
 * A group's invite link: whoever has the code can join (within the size limit, and not when an
 * admin of the group blocked them). At most one live link per group; revoking it ends it.
 */
export const groupInvites = pgTable(
  'group_invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The random code of the link (/join/<code>). */
    code: text('code').notNull().unique('group_invites_code_key'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('group_invites_live_key')
      .on(t.conversationId)
      .where(sql`${t.revokedAt} is null`),
  ],
);

/**
 * A person's report of another person, or of one message, to the admins. The reported message
 * is named by (conversation_id, message_seq), so admins can read it in its context.
 */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reporterId: uuid('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    reportedUserId: uuid('reported_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, {
      onDelete: 'cascade',
    }),
    messageSeq: integer('message_seq'),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    // The admins' list: open reports first, newest first.
    index('reports_open_idx')
      .on(t.createdAt)
      .where(sql`${t.resolvedAt} is null`),
    check('reports_message_check', sql`(${t.conversationId} is null) = (${t.messageSeq} is null)`),
  ],
);

/** Web Push subscriptions: one per browser (endpoint) that asked for notifications. */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The push service's URL for this browser; unique: a browser belongs to one user at a time. */
    endpoint: text('endpoint').notNull().unique('push_subscriptions_endpoint_key'),
    /** The browser's public key (P-256) and auth secret, base64url: payloads are encrypted to them. */
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('push_subscriptions_user_id_idx').on(t.userId)],
);

/** Operator settings (limits), one row per key; values are validated by server/chat/settings.ts. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ConversationRow = typeof conversations.$inferSelect;
export type ConversationMemberRow = typeof conversationMembers.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
