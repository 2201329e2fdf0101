// The check every /api/admin/ route makes first.

import { ErrorCode } from '../../protocol';
import type { AuthenticatedSession } from '../auth/sessions';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { requireSession } from './respond';

/**
 * The signed-in admin of the request, else UNAUTHENTICATED (no session) or FORBIDDEN with
 * `refusal`. The role is read from the database with the session on every request, so a
 * revoked role counts at once.
 */
export async function requireAdmin(
  deps: Pick<Deps, 'sessionFinder'>,
  request: Request,
  refusal: string,
): Promise<AuthenticatedSession> {
  const session = await requireSession(deps, request);
  if (session.user.role !== 'admin') throw new AppError(ErrorCode.Forbidden, refusal);
  return session;
}
