import { setPrivacy, type PrivacyRow } from '../../db';
import {
  ErrorCode,
  type ClientEvent,
  type ClientEventInput,
  type PrivacySettings,
} from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';

export function toPrivacySettings(row: PrivacyRow): PrivacySettings {
  return {
    // The literal, not the row's copy of it: every socket's session holds one.
    presence: row.presenceVisibility === 'nobody' ? 'nobody' : 'contacts',
    readReceipts: row.isSendingReadReceipts,
    findableByName: row.isFindableByName,
  };
}

/** Changes any of the user's privacy settings; answers with all of them. */
export async function updatePrivacy(
  deps: Deps,
  userId: string,
  input: ClientEventInput<typeof ClientEvent.PrivacyUpdate>,
): Promise<PrivacySettings> {
  const row = await setPrivacy(deps.db, userId, {
    presenceVisibility: input.presence,
    isSendingReadReceipts: input.readReceipts,
    isFindableByName: input.findableByName,
  });
  // The session was checked on connect; the account went since.
  if (!row) throw new AppError(ErrorCode.Unauthenticated, 'Your account no longer exists.');
  return toPrivacySettings(row);
}
