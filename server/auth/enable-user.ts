import { setUserDisabledAt, type AdminUserRow } from '../../db';
import type { Deps } from '../deps';
import { actOnUser } from './act-on-user';

/** Enables a disabled account: its owner may sign in again. An enabled one stays as it is. */
export async function enableUser(
  deps: Pick<Deps, 'db'>,
  actorId: string,
  targetId: string,
): Promise<AdminUserRow> {
  return actOnUser(deps, actorId, targetId, async (tx, target) =>
    target.disabledAt ? setUserDisabledAt(tx, target.id, null) : target,
  );
}
