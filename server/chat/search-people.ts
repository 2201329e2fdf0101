import { searchPeople as findPeople } from '../../db';
import { PEOPLE_SEARCH_MAX, type Profile } from '../../protocol';
import type { Deps } from '../deps';
import { toProfile } from './update-profile';

/**
 * People to start a chat with or add to a group, found by the start of their username or of a
 * word of their display name (or by their exact username only, if they chose not to be found
 * by name); never the searcher.
 */
export async function searchPeople(deps: Deps, userId: string, query: string): Promise<Profile[]> {
  const rows = await findPeople(deps.db, {
    searcherId: userId,
    text: query,
    limit: PEOPLE_SEARCH_MAX,
  });
  return rows.map(toProfile);
}
