import { deleteSessionsOfUser, type AdminUserRow } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { actOnUser } from './act-on-user';

/**
 * Signs an account out of every device (a lost phone, a shared computer): every session ends;
 * the caller disconnects the user's sockets. Unlike disabling, they may sign in again at once.
 * Not the admin's own: that is "Sign out everywhere", which also clears this browser's cookie.
 */
export async function endUserSessions(
  deps: Pick<Deps, 'db'>,
  actorId: string,
  targetId: string,
): Promise<{ user: AdminUserRow; sessionIds: string[] }> {
  return actOnUser(deps, actorId, targetId, async (tx, target) => {
    if (target.id === actorId) {
      throw new AppError(
        ErrorCode.Forbidden,
        'To sign yourself out of every device, use “Sign out everywhere” in the chats.',
      );
    }
    return { user: target, sessionIds: await deleteSessionsOfUser(tx, target.id) };
  });
}
