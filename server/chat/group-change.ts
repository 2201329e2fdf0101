// What every membership change shares: refusals become errors people can read, and the
// result says what to broadcast once the transaction has committed.

import { GroupChangeRefused, type GroupChange } from '../../db';
import { ErrorCode, type ConversationSummary, type Message } from '../../protocol';
import type { Deps } from '../deps';
import { AppError, conversationNotFound } from '../errors';
import { getConversation } from './list-conversations';
import { toMessages } from './to-wire';

export interface GroupChangeResult {
  conversationId: string;
  /** The group as the actor now sees it; null once the actor has left. */
  conversation: ConversationSummary | null;
  systemMessages: Message[];
  /** Receive the system messages. */
  memberIds: string[];
  /** Are told the group is gone for them. */
  removedIds: string[];
}

export async function runGroupChange(
  deps: Deps,
  actorId: string,
  change: () => Promise<GroupChange>,
): Promise<GroupChangeResult> {
  let result: GroupChange;
  try {
    result = await change();
  } catch (error) {
    throw error instanceof GroupChangeRefused ? toAppError(error) : error;
  }
  const isStillMember = result.memberIds.includes(actorId);
  return {
    conversationId: result.conversationId,
    conversation: isStillMember
      ? await getConversation(deps, actorId, result.conversationId)
      : null,
    systemMessages: await toMessages(deps.db, result.systemMessages),
    memberIds: result.memberIds,
    removedIds: result.removedIds,
  };
}

function toAppError(refusal: GroupChangeRefused): AppError {
  switch (refusal.reason) {
    case 'not-found':
      return conversationNotFound();
    case 'not-admin':
      return new AppError(ErrorCode.Forbidden, 'Only group admins can do that.');
    case 'full':
      return new AppError(
        ErrorCode.GroupFull,
        `This group is full: a group can have at most ${refusal.limit} members.`,
      );
    case 'last-admin':
      return new AppError(
        ErrorCode.LastAdmin,
        'A group needs at least one admin. Make someone else an admin first.',
      );
    case 'not-a-member':
      return new AppError(ErrorCode.NotFound, 'That person is not a member of this group.');
  }
}
