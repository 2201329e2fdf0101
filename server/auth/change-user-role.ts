import { setUserRoleById, type AdminUserRow } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { actOnUser } from './act-on-user';

/**
 * Makes an account an admin, or takes the role back. Nobody revokes their own role, so the
 * admin who acts is always left (actOnUser serialises admins revoking each other): there is
 * always at least one admin, and nobody locks themselves out. A revoked admin loses access
 * with their next request, which reads the role from the database. A disabled account is
 * enabled before it can be made an admin.
 */
export async function changeUserRole(
  deps: Pick<Deps, 'db'>,
  actorId: string,
  targetId: string,
  role: 'user' | 'admin',
): Promise<AdminUserRow> {
  return actOnUser(deps, actorId, targetId, async (tx, target) => {
    if (role === 'user' && target.id === actorId) {
      throw new AppError(
        ErrorCode.Forbidden,
        'You cannot revoke your own admin role: another admin must do it.',
      );
    }
    if (role === 'admin' && target.disabledAt) {
      throw new AppError(
        ErrorCode.Forbidden,
        `${target.username} is disabled: enable the account before making it an admin.`,
      );
    }
    return target.role === role ? target : setUserRoleById(tx, target.id, role);
  });
}
