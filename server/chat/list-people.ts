import { filterContacts, listProfiles } from '../../db';
import type { Profile } from '../../protocol';
import type { Deps } from '../deps';
import { toProfile } from './update-profile';

/**
 * The profiles of those of `userIds` the viewer shares a conversation with (and their own):
 * what a device asks on connect for the names of the people in what it holds.
 */
export async function listPeople(
  deps: Deps,
  viewerId: string,
  userIds: string[],
): Promise<Profile[]> {
  const wanted = [...new Set(userIds)];
  const others = wanted.filter((id) => id !== viewerId);
  const visible = await filterContacts(deps.db, viewerId, others);
  const ids = [...visible, ...(wanted.includes(viewerId) ? [viewerId] : [])];
  return (await listProfiles(deps.db, ids)).map(toProfile);
}
