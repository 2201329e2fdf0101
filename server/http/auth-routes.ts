// The REST endpoints for accounts and sessions. Next's route handlers in app/api delegate here
// (through server/app-context.ts) so that they share this process's single database.

import { SignInRequest, SignUpRequest } from '../../protocol';
import { authenticateToken, revokeSession } from '../auth/sessions';
import { signIn } from '../auth/sign-in';
import { signUp } from '../auth/sign-up';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { ErrorCode } from '../../protocol';
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
      const result = await signUp(deps, input);
      return jsonResponse(
        { ok: true, user: result.user },
        {
          status: 201,
          headers: {
            'set-cookie': sessionCookie(
              result.token,
              result.expiresAt,
              isSecureRequest(request, deps.config),
            ),
          },
        },
      );
    }),

    signIn: route('sign-in', async (request) => {
      assertSameOrigin(request, deps.config);
      const input = await readJsonBody(request, SignInRequest);
      const result = await signIn(deps, input);
      return jsonResponse(
        { ok: true, user: result.user },
        {
          headers: {
            'set-cookie': sessionCookie(
              result.token,
              result.expiresAt,
              isSecureRequest(request, deps.config),
            ),
          },
        },
      );
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
      });
    }),
  };
}
