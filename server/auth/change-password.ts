import { deleteOtherSessionsOfUser, findUserById, inTransaction, setPasswordHash } from '../../db';
import { ErrorCode } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { describePasswordWeakness } from './passwords';

/**
 * A new password for the user of `sessionId`, who proves with the current one that it is them.
 * The new hash and the end of every other session are one transaction: a password changed
 * because it leaked never leaves a session made with the old one behind. Returns the ids of
 * the sessions that ended, for their sockets to be disconnected.
 */
export async function changePassword(
  deps: Deps,
  session: { sessionId: string; userId: string },
  input: { currentPassword: string; newPassword: string },
): Promise<string[]> {
  const user = await findUserById(deps.db, session.userId);
  if (!user) throw new AppError(ErrorCode.Unauthenticated, 'Not signed in.');
  if (!(await deps.passwords.verify(user.passwordHash, input.currentPassword))) {
    deps.logger.info(
      { event: 'auth.password-change-failed', userId: user.id },
      'password change refused: wrong current password',
    );
    throw new AppError(ErrorCode.InvalidCredentials, 'Wrong current password.', {
      field: 'currentPassword',
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError(
      ErrorCode.BadRequest,
      'The new password is your current one. Choose another.',
      { field: 'newPassword' },
    );
  }
  const weakness = describePasswordWeakness(user.username, input.newPassword);
  if (weakness) throw new AppError(ErrorCode.WeakPassword, weakness, { field: 'newPassword' });
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const ended = await inTransaction(deps.db, async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash);
    return deleteOtherSessionsOfUser(tx, user.id, session.sessionId);
  });
  deps.logger.info(
    { event: 'auth.password-changed', userId: user.id, sessionsEnded: ended.length },
    'password changed; the other sessions ended',
  );
  return ended;
}
