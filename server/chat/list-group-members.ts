import { listMemberRecords } from '../../db';
import type { GroupMember } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';
import { toUserSummary } from './to-wire';

/** The members of a conversation the viewer is in, longest-standing first. */
export async function listGroupMembers(
  deps: Deps,
  viewerId: string,
  conversationId: string,
): Promise<GroupMember[]> {
  const members = await listMemberRecords(deps.db, conversationId);
  // The viewer's own row is the membership check: no second query.
  if (!members.some((member) => member.userId === viewerId)) throw conversationNotFound();
  return members.map((member) => ({
    ...toUserSummary({
      id: member.userId,
      username: member.username,
      displayName: member.displayName,
    }),
    role: member.role,
  }));
}
