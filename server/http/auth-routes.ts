// The REST endpoints for accounts and sessions (protocol/http.ts: signUp, signIn, signOut,
// signOutEverywhere, changePassword, deleteAccount, exportAccount, session).

import { ErrorCode, httpEndpoints, ServerEvent, type UserSummary } from '../../protocol';
import { changePassword } from '../auth/change-password';
import { deleteAccount } from '../auth/delete-account';
import { exportAccount } from '../auth/export-account';
import { revokeAllSessions, revokeSession } from '../auth/sessions';
import { signIn } from '../auth/sign-in';
import { signUp } from '../auth/sign-up';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { broadcastGroupChange } from '../realtime/handlers/groups';
import { userRoom } from '../realtime/rooms';
import type { Realtime } from '../realtime/server';
import { requestAddress } from './client-address';
import {
  assertSameOrigin,
  readJsonBody,
  requireSession,
  route,
  successResponse,
  type ApiRoutes,
} from './respond';
import {
  clearedSessionCookie,
  isSecureRequest,
  readSessionToken,
  sessionCookie,
} from './session-cookie';

export type AuthRoutes = Pick<
  ApiRoutes,
  | 'signUp'
  | 'signIn'
  | 'signOut'
  | 'signOutEverywhere'
  | 'changePassword'
  | 'deleteAccount'
  | 'exportAccount'
  | 'session'
>;

/** The answer to a successful sign-up or sign-in: the user, and the new session's cookie. */
function signedInResponse(
  request: Request,
  config: Deps['config'],
  result: { user: UserSummary; token: string; expiresAt: Date },
  endpoint: 'signUp' | 'signIn',
): Response {
  const cookie = sessionCookie(result.token, result.expiresAt, isSecureRequest(request, config));
  return successResponse(endpoint, { ok: true, user: result.user }, { 'set-cookie': cookie });
}

export function createAuthRoutes(
  deps: Deps,
  realtime: Pick<Realtime, 'io' | 'disconnectSession' | 'disconnectUser'>,
): AuthRoutes {
  /**
   * Runs an action that a password proves. Guessing it from a browser left signed in is
   * sign-in guessing: the same limits, counted for the account and the address.
   */
  async function withPasswordGuessLimits<T>(
    request: Request,
    username: string,
    action: () => Promise<T>,
  ): Promise<T> {
    const address = requestAddress(request);
    await deps.rateLimits.checkSignIn(username, address);
    let result: T;
    try {
      result = await action();
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.InvalidCredentials) {
        await deps.rateLimits.signInFailed(username, address);
      }
      throw error;
    }
    await deps.rateLimits.signInSucceeded(username, address);
    return result;
  }

  /**
   * Signs the browser into its new session. The session its cookie named before (if any) ends,
   * sockets included: a token is never carried over a sign-in, so it cannot be fixed in advance.
   */
  async function rotateSession(
    request: Request,
    result: { user: UserSummary; token: string; sessionId: string; expiresAt: Date },
    endpoint: 'signUp' | 'signIn',
  ): Promise<Response> {
    const previousId = await revokeSession(deps, readSessionToken(request.headers.get('cookie')));
    if (previousId && previousId !== result.sessionId) {
      realtime.disconnectSession(previousId);
      deps.logger.info(
        { event: 'auth.session-replaced', sessionId: previousId, userId: result.user.id },
        'the previous session of this browser ended',
      );
    }
    return signedInResponse(request, deps.config, result, endpoint);
  }

  /**
   * Sign-in behind its limits: refused (429, before any password is checked) while the address
   * or this account from it must wait; every failure counts, a success clears the account's.
   * Unknown users and wrong passwords are counted and answered alike.
   */
  async function limitedSignIn(input: { username: string; password: string }, address: string) {
    await deps.rateLimits.checkSignIn(input.username, address);
    try {
      const result = await signIn(deps, input);
      await deps.rateLimits.signInSucceeded(input.username, address);
      return result;
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.InvalidCredentials) {
        await deps.rateLimits.signInFailed(input.username, address);
      }
      throw error;
    }
  }

  return {
    signUp: route(deps, 'sign-up', async (request) => {
      assertSameOrigin(request, deps.config);
      const input = await readJsonBody(request, httpEndpoints.signUp.body);
      await deps.rateLimits.consumeSignUp(requestAddress(request));
      return rotateSession(request, await signUp(deps, input), 'signUp');
    }),

    signIn: route(deps, 'sign-in', async (request) => {
      assertSameOrigin(request, deps.config);
      const input = await readJsonBody(request, httpEndpoints.signIn.body);
      const result = await limitedSignIn(input, requestAddress(request));
      return rotateSession(request, result, 'signIn');
    }),

    signOut: route(deps, 'sign-out', async (request) => {
      assertSameOrigin(request, deps.config);
      const sessionId = await revokeSession(deps, readSessionToken(request.headers.get('cookie')));
      if (sessionId) {
        realtime.disconnectSession(sessionId);
        deps.logger.info({ event: 'auth.sign-out', sessionId }, 'session ended');
      }
      return successResponse(
        'signOut',
        { ok: true },
        { 'set-cookie': clearedSessionCookie(isSecureRequest(request, deps.config)) },
      );
    }),

    signOutEverywhere: route(deps, 'sign-out-everywhere', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireSession(deps, request);
      const ended = await revokeAllSessions(deps, session.user.id);
      // Every socket of the user, on every node: their sessions are gone, so they stay out.
      realtime.disconnectUser(session.user.id);
      deps.logger.info(
        { event: 'auth.sign-out-everywhere', userId: session.user.id, sessions: ended },
        'every session of the user ended',
      );
      return successResponse(
        'signOutEverywhere',
        { ok: true },
        { 'set-cookie': clearedSessionCookie(isSecureRequest(request, deps.config)) },
      );
    }),

    changePassword: route(deps, 'change-password', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireSession(deps, request);
      const input = await readJsonBody(request, httpEndpoints.changePassword.body);
      const ended = await withPasswordGuessLimits(request, session.user.username, () =>
        changePassword(deps, { sessionId: session.sessionId, userId: session.user.id }, input),
      );
      // Their sockets, on every node: those devices are signed out now.
      for (const sessionId of ended) realtime.disconnectSession(sessionId);
      return successResponse('changePassword', { ok: true, sessionsEnded: ended.length });
    }),

    deleteAccount: route(deps, 'delete-account', async (request) => {
      assertSameOrigin(request, deps.config);
      const session = await requireSession(deps, request);
      const { password } = await readJsonBody(request, httpEndpoints.deleteAccount.body);
      const deleted = await withPasswordGuessLimits(request, session.user.username, () =>
        deleteAccount(deps, session.user.id, password),
      );
      // Every device of theirs is signed out, on every node; the groups they left hear of it,
      // and whoever had their name on screen sees "Deleted account".
      realtime.disconnectUser(session.user.id);
      for (const left of deleted.groupsLeft) broadcastGroupChange(realtime.io, left);
      if (deleted.audience.length > 0) {
        realtime.io
          .to(deleted.audience.map(userRoom))
          .emit(ServerEvent.UserUpdated, deleted.profile);
      }
      return successResponse(
        'deleteAccount',
        { ok: true },
        { 'set-cookie': clearedSessionCookie(isSecureRequest(request, deps.config)) },
      );
    }),

    exportAccount: route(deps, 'export-account', async (request) => {
      const session = await requireSession(deps, request);
      const data = await exportAccount(deps, session.user.id);
      const exportedAt = new Date(deps.clock.now()).toISOString();
      const file = `parley-${session.user.username}-${exportedAt.slice(0, 10)}.json`;
      return successResponse(
        'exportAccount',
        { ok: true, exportedAt, ...data },
        { 'content-disposition': `attachment; filename="${file}"` },
      );
    }),

    session: route(deps, 'session', async (request) => {
      const session = await requireSession(deps, request);
      return successResponse('session', {
        ok: true,
        user: { id: session.user.id, username: session.user.username },
        isAdmin: session.user.role === 'admin',
      });
    }),
  };
}
