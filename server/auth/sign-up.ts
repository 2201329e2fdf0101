import { insertUser, isUniqueViolation } from '../../db';
import { ErrorCode, type UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { describePasswordWeakness } from './passwords';
import { createSession } from './sessions';

export async function signUp(
  deps: Deps,
  input: { username: string; password: string },
): Promise<{ user: UserSummary; token: string; sessionId: string; expiresAt: Date }> {
  const weakness = describePasswordWeakness(input.username, input.password);
  if (weakness) throw new AppError(ErrorCode.WeakPassword, weakness);

  const passwordHash = await deps.passwords.hash(input.password);
  let user;
  try {
    user = await insertUser(deps.db, { username: input.username, passwordHash });
  } catch (error) {
    if (isUniqueViolation(error, 'users_username_key')) {
      throw new AppError(ErrorCode.UsernameTaken, `The username “${input.username}” is taken.`);
    }
    throw error;
  }
  const session = await createSession(deps, user.id);
  deps.logger.info({ event: 'auth.sign-up', userId: user.id }, 'user signed up');
  return { user: { id: user.id, username: user.username }, ...session };
}
