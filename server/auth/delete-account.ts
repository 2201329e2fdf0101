import {
  eraseAccount,
  findUserById,
  inTransaction,
  listGroupIdsOfUser,
  listProfiles,
} from '../../db';
import { DELETED_ACCOUNT_NAME, ErrorCode, type Profile } from '../../protocol';
import { leaveGroup } from '../chat/leave-group';
import { listProfileAudience, toProfile } from '../chat/update-profile';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import type { GroupChangeResult } from '../chat/group-change';

export interface DeletedAccount {
  /** Each group left, for its system message to be broadcast. */
  groupsLeft: GroupChangeResult[];
  /** Who had the person's name on screen: they are told it is now "Deleted account". */
  audience: string[];
  profile: Profile;
}

/**
 * Deletes the account of `userId`, who proves with their password that it is them. They leave
 * every group first, each recorded by a system message (and the last admin's successor named),
 * then one transaction erases the profile, password, sessions, push subscriptions and blocks,
 * and closes their direct chats. A crash in between leaves an account with fewer groups, still
 * theirs, whose deletion can simply be asked again. Groups they were added to meanwhile are
 * left after the erasure. Their messages stay, shown as from "Deleted account".
 */
export async function deleteAccount(
  deps: Deps,
  userId: string,
  password: string,
): Promise<DeletedAccount> {
  const user = await findUserById(deps.db, userId);
  if (!user || user.deletedAt) throw new AppError(ErrorCode.Unauthenticated, 'Not signed in.');
  if (!(await deps.passwords.verify(user.passwordHash, password))) {
    deps.logger.info(
      { event: 'auth.account-delete-failed', userId },
      'account deletion refused: wrong password',
    );
    throw new AppError(ErrorCode.InvalidCredentials, 'Wrong password.', { field: 'password' });
  }
  // Everyone who sees their name now, groups included: asked before they leave them.
  const audience = await listProfileAudience(deps, userId);
  const groupsLeft = await leaveAllGroups(deps, userId);
  await inTransaction(deps.db, (tx) => eraseAccount(tx, userId, DELETED_ACCOUNT_NAME));
  groupsLeft.push(...(await leaveAllGroups(deps, userId)));
  const [row] = await listProfiles(deps.db, [userId]);
  if (!row) throw new Error('a deleted account lost its row');
  deps.logger.info(
    { event: 'auth.account-deleted', userId, groupsLeft: groupsLeft.length },
    'account deleted',
  );
  return { groupsLeft, audience, profile: toProfile(row) };
}

async function leaveAllGroups(deps: Deps, userId: string): Promise<GroupChangeResult[]> {
  const left: GroupChangeResult[] = [];
  for (const conversationId of await listGroupIdsOfUser(deps.db, userId)) {
    left.push(await leaveGroup(deps, userId, { conversationId }));
  }
  return left;
}
