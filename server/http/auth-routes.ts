// The REST endpoints for accounts and sessions. Next's route handlers in app/api delegate here
// (through server/app-context.ts) so that they share this process's single database.

import { ErrorCode, SignInRequest, SignUpRequest, type UserSummary } from '../../protocol';
import { authenticateToken, revokeSession } from '../auth/sessions';
import { signIn } from '../auth/sign-in';
import { signUp } from '../auth/sign-up';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import type { Realtime } from '../realtime/server';
import { assertSameOrigin, errorResponse, jsonResponse, readJsonBody } from './respond';
import {
  clearedSessionCookie,
  isSecureRequest,
  readSessionToken,
  sessionCookie,
} from './session-cookie';

export type RouteHandler = (request: Request) => Promise<Response>;

export interface AuthRoutes {
  signUp: RouteHandler;
  signIn: RouteHandler;
  signOut: RouteHandler;
  session: RouteHandler;
}

/** The answer to a successful sign-up or sign-in: the user, and the new session's cookie. */
function signedInResponse(
  request: Request,
  config: Deps['config'],
  result: { user: UserSummary; token: string; expiresAt: Date },
  status: number,
): Response {
  const cookie = sessionCookie(result.token, result.expiresAt, isSecureRequest(request, config));
  return jsonResponse(
    { ok: true, user: result.user },
    { status, headers: { 'set-cookie': cookie } },
  );
}

export function createAuthRoutes(
  deps: Deps,
  realtime: Pick<Realtime, 'disconnectSession'>,
): AuthRoutes {
  const route =
    (name: string, run: RouteHandler): RouteHandler =>
    async (request) => {
      try {
        return await run(request);
      } catch (error) {
        return errorResponse(error, deps.logger, name);
      }
    };

  return {
    signUp: route('sign-up', async (request) => {
      assertSameOrigin(request, deps.config);
      const input = await readJsonBody(request, SignUpRequest);
      return signedInResponse(request, deps.config, await signUp(deps, input), 201);
    }),

    signIn: route('sign-in', async (request) => {
      assertSameOrigin(request, deps.config);
      const input = await readJsonBody(request, SignInRequest);
      return signedInResponse(request, deps.config, await signIn(deps, input), 200);
    }),

    signOut: route('sign-out', async (request) => {
      assertSameOrigin(request, deps.config);
      const token = readSessionToken(request.headers.get('cookie'));
      const sessionId = token ? await revokeSession(deps, token) : null;
      if (sessionId) {
        realtime.disconnectSession(sessionId);
        deps.logger.info({ event: 'auth.sign-out', sessionId }, 'session ended');
      }
      return jsonResponse(
        { ok: true },
        { headers: { 'set-cookie': clearedSessionCookie(isSecureRequest(request, deps.config)) } },
      );
    }),

    session: route('session', async (request) => {
      const session = await authenticateToken(
        deps,
        readSessionToken(request.headers.get('cookie')),
      );
      if (!session) throw new AppError(ErrorCode.Unauthenticated, 'Not signed in.');
      return jsonResponse({
        ok: true,
        user: { id: session.user.id, username: session.user.username },
        isAdmin: session.user.role === 'admin',
      });
    }),
  };
}
