// The REST contract: one entry per endpoint, with its method, path, the schema of the JSON body
// it reads (null: it reads none) and the schema of its success. Failures are ApiError, with
// the HTTP status of their code (HTTP_STATUS). The server routes by this table
// (server/http/api-router.ts) and the browser calls through it (hooks/api.ts).

import { z } from 'zod';
import { ErrorCode } from './errors';
import {
  AccountDeleteRequest,
  PasswordChangeRequest,
  PushSubscriptionRequest,
  PushUnsubscribeRequest,
  ReportResolveRequest,
  ReportsListRequest,
  SignInRequest,
  SignUpRequest,
} from './schemas';
import { ReportResolved, ReportsPage } from './reports';
import { SettingsSchema, SettingsUpdate } from './settings';
import {
  AdminRoleRequest,
  AdminStatsSchema,
  AdminUserRequest,
  AdminUserSchema,
  AdminUserSearchRequest,
} from './admin';

/** The httpOnly cookie that carries the session token (set by sign-up and sign-in). */
export const SESSION_COOKIE = 'parley_session';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpEndpoint {
  method: HttpMethod;
  path: `/api/${string}`;
  /** The JSON body the endpoint reads; null when it reads none (anything sent is ignored). */
  body: z.ZodType | null;
  /** Its answer on success. */
  response: z.ZodType;
  /** The HTTP status of a success. */
  status: 200 | 201;
}

const UserSummarySchema = z.object({ id: z.string(), username: z.string() });

const Done = z.object({ ok: z.literal(true) });
const SignedIn = z.object({ ok: z.literal(true), user: UserSummarySchema });
/** The account an admin action changed, as it is afterwards. */
const WithAdminUser = z.object({ ok: z.literal(true), user: AdminUserSchema });

const WithSettings = z.object({
  ok: z.literal(true),
  settings: SettingsSchema,
  /** Groups with more members than settings.maxGroupSize: they keep them, and cannot grow. */
  groupsOverMaxSize: z.number().int().nonnegative(),
});

export const httpEndpoints = {
  /** Creates an account and signs it in (sets the session cookie). */
  signUp: {
    method: 'POST',
    path: '/api/auth/sign-up',
    body: SignUpRequest,
    response: SignedIn,
    status: 201,
  },
  /** Signs in with a new session (sets the cookie); the session the request carried ends. */
  signIn: {
    method: 'POST',
    path: '/api/auth/sign-in',
    body: SignInRequest,
    response: SignedIn,
    status: 200,
  },
  /** Ends the cookie's session, if any, and clears the cookie. */
  signOut: { method: 'POST', path: '/api/auth/sign-out', body: null, response: Done, status: 200 },
  /** Ends every session of the signed-in user, on every device. */
  signOutEverywhere: {
    method: 'POST',
    path: '/api/auth/sign-out-everywhere',
    body: null,
    response: Done,
    status: 200,
  },
  /**
   * Changes the signed-in user's password (the current one required): every other session of
   * theirs ends and its sockets are disconnected, on every node; this one stays signed in.
   */
  changePassword: {
    method: 'POST',
    path: '/api/account/password',
    body: PasswordChangeRequest,
    response: z.object({ ok: z.literal(true), sessionsEnded: z.number().int().nonnegative() }),
    status: 200,
  },
  /**
   * Deletes the signed-in user's account (their password required): they leave every group,
   * their profile, sessions and push subscriptions are erased (every device signed out), and
   * their past messages show as from "Deleted account". Clears the cookie.
   */
  deleteAccount: {
    method: 'POST',
    path: '/api/account/delete',
    body: AccountDeleteRequest,
    response: Done,
    status: 200,
  },
  /**
   * "Download my data": the account, its settings, and every conversation with the messages the
   * user sent in it (deleted ones without their text), as a JSON file to save.
   */
  exportAccount: {
    method: 'GET',
    path: '/api/account/export',
    body: null,
    response: z.object({
      ok: z.literal(true),
      exportedAt: z.string(),
      account: z.record(z.string(), z.unknown()),
      conversations: z.array(z.record(z.string(), z.unknown())),
    }),
    status: 200,
  },
  /** Who the cookie's session belongs to. */
  session: {
    method: 'GET',
    path: '/api/auth/session',
    body: null,
    response: z.object({ ok: z.literal(true), user: UserSummarySchema, isAdmin: z.boolean() }),
    status: 200,
  },
  /** The operator settings (admins only). */
  getSettings: {
    method: 'GET',
    path: '/api/admin/settings',
    body: null,
    response: WithSettings,
    status: 200,
  },
  /** Changes any subset of the settings (admins only); answers with all of them. */
  updateSettings: {
    method: 'PUT',
    path: '/api/admin/settings',
    body: SettingsUpdate,
    response: WithSettings,
    status: 200,
  },
  /**
   * A page of reports (admins only), open or resolved, newest first. A POST that only reads:
   * the router matches exact paths and takes parameters only in a JSON body.
   */
  listReports: {
    method: 'POST',
    path: '/api/admin/reports/list',
    body: ReportsListRequest,
    response: ReportsPage,
    status: 200,
  },
  /** Marks a report resolved (admins only); resolving it again keeps the first resolution. */
  resolveReport: {
    method: 'POST',
    path: '/api/admin/reports/resolve',
    body: ReportResolveRequest,
    response: ReportResolved,
    status: 200,
  },
  /**
   * The admin console's users list (admins only): a search with a JSON body, so POST (it
   * changes nothing). nextCursor is the `after` of the next page, null on the last.
   */
  searchUsers: {
    method: 'POST',
    path: '/api/admin/users/search',
    body: AdminUserSearchRequest,
    response: z.object({
      ok: z.literal(true),
      users: z.array(AdminUserSchema),
      nextCursor: z.string().nullable(),
    }),
    status: 200,
  },
  /** Disables an account (admins only): sign-in refused, every session ended, sockets closed. */
  disableUser: {
    method: 'POST',
    path: '/api/admin/users/disable',
    body: AdminUserRequest,
    response: WithAdminUser,
    status: 200,
  },
  /** Enables a disabled account again (admins only). */
  enableUser: {
    method: 'POST',
    path: '/api/admin/users/enable',
    body: AdminUserRequest,
    response: WithAdminUser,
    status: 200,
  },
  /** Signs an account out of every device (admins only); it may sign in again. */
  endUserSessions: {
    method: 'POST',
    path: '/api/admin/users/end-sessions',
    body: AdminUserRequest,
    response: WithAdminUser.extend({ sessionsEnded: z.number().int().nonnegative() }),
    status: 200,
  },
  /** Makes an account an admin, or takes the role back (admins only; not one's own). */
  setUserRole: {
    method: 'POST',
    path: '/api/admin/users/role',
    body: AdminRoleRequest,
    response: WithAdminUser,
    status: 200,
  },
  /** The overview's counts (admins only). */
  adminStats: {
    method: 'GET',
    path: '/api/admin/stats',
    body: null,
    response: z.object({ ok: z.literal(true), stats: AdminStatsSchema }),
    status: 200,
  },
  /** The server's VAPID public key, for PushManager.subscribe(). */
  pushKey: {
    method: 'GET',
    path: '/api/push/key',
    body: null,
    response: z.object({ ok: z.literal(true), publicKey: z.string() }),
    status: 200,
  },
  /** Registers this browser's push subscription for the signed-in user. */
  subscribePush: {
    method: 'POST',
    path: '/api/push/subscriptions',
    body: PushSubscriptionRequest,
    response: Done,
    status: 201,
  },
  /** Forgets a push subscription of the signed-in user. */
  unsubscribePush: {
    method: 'DELETE',
    path: '/api/push/subscriptions',
    body: PushUnsubscribeRequest,
    response: Done,
    status: 200,
  },
} as const satisfies Record<string, HttpEndpoint>;

export type HttpEndpoints = typeof httpEndpoints;
export type HttpEndpointName = keyof HttpEndpoints;

/** What the endpoint's body must be, before parsing (what a client sends). */
export type HttpRequestBody<N extends HttpEndpointName> = HttpEndpoints[N]['body'] extends z.ZodType
  ? z.input<HttpEndpoints[N]['body']>
  : never;

/** The endpoint's success, as a client reads it. */
export type HttpSuccess<N extends HttpEndpointName> = z.output<HttpEndpoints[N]['response']>;

/** Every REST failure: the same shape as a socket ack's. */
export const ApiError = z.object({
  ok: z.literal(false),
  code: z.enum(ErrorCode),
  message: z.string(),
  retryAfterMs: z.number().optional(),
  field: z.string().optional(),
});

/** The message of a JSON 404 for any /api/ path that is not in the table. */
export const API_NOT_FOUND_MESSAGE = 'No such API endpoint.';
