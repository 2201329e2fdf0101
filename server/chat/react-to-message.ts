import { applyReaction } from '../../db';
import { ErrorCode, type UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { changeMessage, requireShown, type MessageChangeResult } from './message-change';

/**
 * Sets the actor's one reaction to a message (replacing the one they had), or with null takes
 * it away. Not on system messages nor deleted ones. Setting what is already set writes nothing.
 */
export async function reactToMessage(
  deps: Deps,
  actor: UserSummary,
  input: { conversationId: string; seq: number; emoji: string | null },
): Promise<MessageChangeResult> {
  return changeMessage(deps, actor.id, input, async (target) => {
    requireShown(target);
    const { message } = target;
    if (message.kind !== 'text') {
      throw new AppError(ErrorCode.Forbidden, 'You cannot react to system messages.');
    }
    if (message.deletedAt) {
      throw new AppError(ErrorCode.Forbidden, 'This message was deleted.');
    }
    await applyReaction(target.tx, target.lock, {
      conversationId: input.conversationId,
      messageId: message.id,
      userId: actor.id,
      emoji: input.emoji,
    });
  });
}
