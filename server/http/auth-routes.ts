// The REST endpoints for accounts and sessions. Next's route handlers in app/api delegate here
// (through server/app-context.ts) so that they share this process's single database.

import { SignInRequest, SignUpRequest, type UserSummary } from '../../protocol';
import { revokeSession } from '../auth/sessions';
import { signIn } from '../auth/sign-in';
import { signUp } from '../auth/sign-up';
import type { Deps } from '../deps';
import type { Realtime } from '../realtime/server';
import {
  assertSameOrigin,
  jsonResponse,
  readJsonBody,
  requireSession,
  route,
  type RouteHandler,
} from './respond';
import {
  clearedSessionCookie,
  isSecureRequest,
  readSessionToken,
  sessionCookie,
} from './session-cookie';

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
  return {
    signUp: route(deps, 'sign-up', async (request) => {
      assertSameOrigin(request, deps.config);
      const input = await readJsonBody(request, SignUpRequest);
      return signedInResponse(request, deps.config, await signUp(deps, input), 201);
    }),

    signIn: route(deps, 'sign-in', async (request) => {
      assertSameOrigin(request, deps.config);
      const input = await readJsonBody(request, SignInRequest);
      return signedInResponse(request, deps.config, await signIn(deps, input), 200);
    }),

    signOut: route(deps, 'sign-out', async (request) => {
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

    session: route(deps, 'session', async (request) => {
      const session = await requireSession(deps, request);
      return jsonResponse({
        ok: true,
        user: { id: session.user.id, username: session.user.username },
        isAdmin: session.user.role === 'admin',
      });
    }),
  };
}
