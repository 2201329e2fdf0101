import { findUsersByUsernames } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { listNames, type NamedUser } from './describe-group-event';

/** The users with these usernames, in the given order; a clear error names any that is unknown. */
export async function resolveUsernames(deps: Deps, usernames: string[]): Promise<NamedUser[]> {
  const wanted = [...new Set(usernames)];
  const found = await findUsersByUsernames(deps.db, wanted);
  const byName = new Map(found.map((user) => [user.username, user]));
  const missing = wanted.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new AppError(
      ErrorCode.NotFound,
      missing.length === 1
        ? `There is no user named “${missing[0]}”.`
        : `There are no users named ${listNames(missing.map((name) => `“${name}”`))}.`,
    );
  }
  return wanted.map((name) => byName.get(name)!);
}
