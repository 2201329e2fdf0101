import { findUserByUsername } from '../../db';
import { ErrorCode, type UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { createSession } from './sessions';

/** One message for unknown users and wrong passwords, so sign-in does not reveal who exists. */
const WRONG_CREDENTIALS = 'Wrong username or password.';

export const ACCOUNT_DISABLED = 'This account has been disabled by an administrator.';

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
  // Only after the right password: a stranger learns nothing of the account from it.
  if (user.disabledAt) {
    deps.logger.info(
      { event: 'auth.sign-in-failed', reason: 'disabled', userId: user.id },
      'sign-in refused: the account is disabled',
    );
    throw new AppError(ErrorCode.AccountDisabled, ACCOUNT_DISABLED);
  }
  const session = await createSession(deps, user.id);
  deps.logger.info({ event: 'auth.sign-in', userId: user.id }, 'user signed in');
  return { user: { id: user.id, username: user.username }, ...session };
}
