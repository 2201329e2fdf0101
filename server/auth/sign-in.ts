import { findUserByUsername } from '../../db';
import { ErrorCode, type UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { createSession } from './sessions';

/** One message for unknown users and wrong passwords, so sign-in does not reveal who exists. */
const WRONG_CREDENTIALS = 'Wrong username or password.';

export async function signIn(
  deps: Deps,
  input: { username: string; password: string },
): Promise<{ user: UserSummary; token: string; sessionId: string; expiresAt: Date }> {
  const user = await findUserByUsername(deps.db, input.username);
  if (!user) {
    await deps.passwords.burnVerificationTime(input.password);
    deps.logger.info({ event: 'auth.sign-in-failed', reason: 'unknown-user' }, 'sign-in failed');
    throw new AppError(ErrorCode.InvalidCredentials, WRONG_CREDENTIALS);
  }
  if (!(await deps.passwords.verify(user.passwordHash, input.password))) {
    deps.logger.info(
      { event: 'auth.sign-in-failed', reason: 'wrong-password', userId: user.id },
      'sign-in failed',
    );
    throw new AppError(ErrorCode.InvalidCredentials, WRONG_CREDENTIALS);
  }
  const session = await createSession(deps, user.id);
  deps.logger.info({ event: 'auth.sign-in', userId: user.id }, 'user signed in');
  return { user: { id: user.id, username: user.username }, ...session };
}
