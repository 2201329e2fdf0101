import { findMembership, listMemberRecords } from '../../db';
import type { GroupMember } from '../../protocol';
import type { Deps } from '../deps';
import { conversationNotFound } from '../errors';

/** The members of a conversation the viewer is in, longest-standing first. */
export async function listGroupMembers(
  deps: Deps,
  viewerId: string,
  conversationId: string,
): Promise<GroupMember[]> {
  if (!(await findMembership(deps.db, conversationId, viewerId))) throw conversationNotFound();
  const members = await listMemberRecords(deps.db, conversationId);
  return members.map((member) => ({
    id: member.userId,
    username: member.username,
    role: member.role,
  }));
}
