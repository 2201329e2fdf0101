import {
  deleteAllPushSubscriptionsOfUser,
  deleteSessionsOfUser,
  setUserDisabledAt,
  type AdminUserRow,
} from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { actOnUser } from './act-on-user';

/**
 * Disables an account: disabled_at, the end of every session and the forgetting of every push
 * subscription are one transaction, so no device of theirs is left signed in, nor gets the
 * text of new messages in a notification. Returns the ended sessions' ids; the caller
 * disconnects the user's sockets. Admins are refused (their role is revoked first), and so is
 * the admin's own account. Disabling a disabled account again keeps its time and ends any
 * session a sign-in racing the first disable may have made.
 */
export async function disableUser(
  deps: Pick<Deps, 'db' | 'clock'>,
  actorId: string,
  targetId: string,
): Promise<{ user: AdminUserRow; sessionIds: string[] }> {
  return actOnUser(deps, actorId, targetId, async (tx, target) => {
    if (target.id === actorId) {
      throw new AppError(ErrorCode.Forbidden, 'You cannot disable your own account.');
    }
    if (target.role === 'admin') {
      throw new AppError(
        ErrorCode.Forbidden,
        `${target.username} is an admin: revoke their admin role first, then disable the account.`,
      );
    }
    const user = await setUserDisabledAt(
      tx,
      target.id,
      target.disabledAt ?? new Date(deps.clock.now()),
    );
    const sessionIds = await deleteSessionsOfUser(tx, target.id);
    await deleteAllPushSubscriptionsOfUser(tx, target.id);
    return { user, sessionIds };
  });
}
