import { insertUser, isUniqueViolation, releaseDeletedUsername } from '../../db';
import { ErrorCode, type UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { describePasswordWeakness } from './passwords';
import { createSession } from './sessions';

/**
 * Inserts the user; a username held by an account deleted longer ago than the grace period
 * is freed first (the old row takes another name), so it can be taken again.
 */
async function insertNewUser(deps: Deps, values: { username: string; passwordHash: string }) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await insertUser(deps.db, values);
    } catch (error) {
      if (!isUniqueViolation(error, 'users_username_key')) throw error;
      const graceEnded = new Date(deps.clock.now() - deps.config.deletedUsernameGraceMs);
      const isFreed =
        attempt === 0 && (await releaseDeletedUsername(deps.db, values.username, graceEnded));
      if (!isFreed) {
        throw new AppError(ErrorCode.UsernameTaken, `The username “${values.username}” is taken.`);
      }
    }
  }
}

export async function signUp(
  deps: Deps,
  input: { username: string; password: string },
): Promise<{ user: UserSummary; token: string; sessionId: string; expiresAt: Date }> {
  const weakness = describePasswordWeakness(input.username, input.password);
  if (weakness) throw new AppError(ErrorCode.WeakPassword, weakness);

  const passwordHash = await deps.passwords.hash(input.password);
  const user = await insertNewUser(deps, { username: input.username, passwordHash });
  const session = await createSession(deps, user.id);
  deps.logger.info({ event: 'auth.sign-up', userId: user.id }, 'user signed up');
  return { user: { id: user.id, username: user.username }, ...session };
}
