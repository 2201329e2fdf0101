import { listContactIds, setProfile, type ProfileRow } from '../../db';
import { ErrorCode, type ClientEvent, type ClientEventInput, type Profile } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';

export function toProfile(row: ProfileRow): Profile {
  return { id: row.id, username: row.username, displayName: row.displayName, about: row.about };
}

/** Changes the user's display name and/or "about"; answers with the profile as it is now. */
export async function updateProfile(
  deps: Deps,
  userId: string,
  input: ClientEventInput<typeof ClientEvent.ProfileUpdate>,
): Promise<Profile> {
  const row = await setProfile(deps.db, userId, {
    displayName: input.displayName,
    about: input.about,
  });
  // The session was checked on connect; the account went since.
  if (!row) throw new AppError(ErrorCode.Unauthenticated, 'Your account no longer exists.');
  return toProfile(row);
}

/** Who is told of a change to the user's profile: their contacts (see listContactIds). */
export function listProfileAudience(deps: Deps, userId: string): Promise<string[]> {
  return listContactIds(deps.db, userId);
}
