// Every admin action on one account runs through here, in one transaction that first locks the
// admin's row and the account's (in id order: two admins acting on each other never deadlock)
// and then checks under the lock that the admin still is one and that the account exists and
// is not deleted. So two admins revoking each other at once are serialised: the second finds
// they are no longer an admin, and there is always one left.

import { inTransaction, lockUsers, type AdminUserRow, type Transaction } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';

export const ADMINS_ONLY = 'Only admins can manage users.';

export async function actOnUser<T>(
  deps: Pick<Deps, 'db'>,
  actorId: string,
  targetId: string,
  act: (tx: Transaction, target: AdminUserRow) => Promise<T>,
): Promise<T> {
  return inTransaction(deps.db, async (tx) => {
    const rows = await lockUsers(tx, [actorId, targetId]);
    const actor = rows.find((row) => row.id === actorId);
    if (!actor || actor.role !== 'admin' || actor.disabledAt || actor.deletedAt) {
      throw new AppError(ErrorCode.Forbidden, ADMINS_ONLY);
    }
    const target = rows.find((row) => row.id === targetId);
    if (!target) throw new AppError(ErrorCode.NotFound, 'No such user.');
    if (target.deletedAt) {
      throw new AppError(
        ErrorCode.Forbidden,
        `${target.username} deleted their account: nothing can be done with it.`,
      );
    }
    return act(tx, target);
  });
}
