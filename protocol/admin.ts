// The admin console's wire shapes (protocol/http.ts has its endpoints): the users list, the
// actions on one account, and the counts of the overview.

import { z } from 'zod';

/** Users per page of the admin's users list. */
export const ADMIN_USERS_PAGE_SIZE = 50;

/** Longest search of the users list: longer than any username or display name. */
export const ADMIN_USER_QUERY_MAX_LENGTH = 64;

/** C0 controls (NUL among them) and DEL: PostgreSQL cannot even compare text with NUL in it. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

const UserId = z.uuid({ error: 'That is not a user id (a UUID).' });

/**
 * The users list: usernames that start with `query`, or display names with a word that does
 * ('' lists everyone); newest first, a page at a time. `after` is the id of the last user of
 * the previous page.
 */
export const AdminUserSearchRequest = z.strictObject({
  query: z
    .string({ error: 'Search text must be text.' })
    .trim()
    // "@alice" is how people write a username.
    .transform((query) => query.replace(/^@/, ''))
    .refine((query) => query.length <= ADMIN_USER_QUERY_MAX_LENGTH, {
      error: `Search for at most ${ADMIN_USER_QUERY_MAX_LENGTH} characters.`,
    })
    .refine((query) => !CONTROL_CHARACTER.test(query), {
      error: 'Search text cannot contain control characters.',
    })
    .refine((query) => query.isWellFormed(), {
      error: 'Search text cannot contain broken characters (an unpaired UTF-16 surrogate).',
    }),
  after: UserId.optional(),
});

/** An action on one account: disable, enable, end its sessions. */
export const AdminUserRequest = z.strictObject({ userId: UserId });

/** Makes an account an admin, or takes the role back. */
export const AdminRoleRequest = z.strictObject({
  userId: UserId,
  role: z.enum(['user', 'admin'], { error: 'The role is "user" or "admin".' }),
});

/** One account as the admin console shows it. */
export const AdminUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  /** '' when they set none. */
  displayName: z.string(),
  role: z.enum(['user', 'admin']),
  /** When they signed up. */
  createdAt: z.string(),
  /** When their last connection closed; null if never. Meaningless while isOnline. */
  lastSeenAt: z.string().nullable(),
  /** A socket of theirs is connected, on any node. */
  isOnline: z.boolean(),
  /** Disabled by an admin: sign-in refused, no session left. */
  disabledAt: z.string().nullable(),
  /** The person deleted their account: nothing can be done with it any more. */
  deletedAt: z.string().nullable(),
});
export type AdminUser = z.output<typeof AdminUserSchema>;

/** The overview's counts. */
export const AdminStatsSchema = z.object({
  /** Accounts not deleted (disabled ones included). */
  users: z.number().int().nonnegative(),
  /** Text messages sent since midnight UTC. */
  messagesToday: z.number().int().nonnegative(),
  /** Distinct people with a connected socket, on every node. */
  onlineNow: z.number().int().nonnegative(),
  /** Accounts with the admin role (not deleted). */
  admins: z.number().int().nonnegative(),
});
export type AdminStats = z.output<typeof AdminStatsSchema>;
