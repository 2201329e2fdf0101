import { countForAdmin } from '../../db';
import type { AdminStats } from '../../protocol';
import type { Deps } from '../deps';

/**
 * The admin overview's counts: accounts and admins (not deleted), text messages since midnight
 * UTC by the server's clock, and the people online now, which `countOnline` asks every node.
 */
export async function countAdminStats(
  deps: Pick<Deps, 'db' | 'clock'>,
  countOnline: () => Promise<number>,
): Promise<AdminStats> {
  const now = new Date(deps.clock.now());
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [counts, onlineNow] = await Promise.all([countForAdmin(deps.db, midnight), countOnline()]);
  return { ...counts, onlineNow };
}
