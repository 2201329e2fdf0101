import { setPrivacy, type PrivacyRow } from '../../db';
import {
  ErrorCode,
  type ClientEvent,
  type ClientEventInput,
  type PrivacySettings,
} from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';

/**
 * Each presence setting as a literal, to hold instead of the row's own copy of the string: every
 * socket's session holds one. Keyed by the column's values, so a new one must be added here.
 */
const PRESENCE: { [Visibility in PrivacySettings['presence']]: Visibility } = {
  contacts: 'contacts',
  nobody: 'nobody',
};

export function toPrivacySettings(row: PrivacyRow): PrivacySettings {
  return {
    presence: PRESENCE[row.presenceVisibility],
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
