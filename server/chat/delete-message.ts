import { applyDeletion, applyHide } from '../../db';
import { ErrorCode, type UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import {
  changeMessage,
  requireShown,
  type LockedTarget,
  type MessageChangeResult,
} from './message-change';

/**
 * "everyone": the text is erased in the database (the tombstone keeps id, seq, sender and
 * time) and its reactions go. The sender may, within the delete window (settings:
 * deleteWindowHours); a group's admins may delete any message of their group, at any time.
 * "me": the message is hidden on all of the actor's devices, and on nobody else's.
 * Deleting what is deleted (a retry) writes nothing and answers the same.
 */
export async function deleteMessage(
  deps: Deps,
  actor: UserSummary,
  input: { conversationId: string; seq: number; for: 'everyone' | 'me' },
): Promise<MessageChangeResult> {
  return changeMessage(deps, actor.id, input, async (target) => {
    if (input.for === 'me') {
      if (target.isHiddenByActor) return;
      await applyHide(target.tx, target.lock, {
        conversationId: input.conversationId,
        seq: input.seq,
        userId: actor.id,
      });
      return;
    }
    requireShown(target);
    const { message } = target;
    if (message.kind !== 'text') {
      throw new AppError(ErrorCode.Forbidden, 'System messages cannot be deleted for everyone.');
    }
    if (message.deletedAt) return;
    requireMayDeleteForEveryone(deps, target);
    await applyDeletion(target.tx, target.lock, {
      conversationId: input.conversationId,
      messageId: message.id,
      deletedBy: actor.id,
    });
  });
}

function requireMayDeleteForEveryone(deps: Deps, target: LockedTarget): void {
  const isGroupAdmin = target.conversationKind === 'group' && target.actor.role === 'admin';
  if (isGroupAdmin) return;
  if (target.message.senderId !== target.actor.id) {
    throw new AppError(
      ErrorCode.Forbidden,
      'You can only delete your own messages for everyone (group admins can delete any).',
    );
  }
  const windowHours = deps.settings.current.deleteWindowHours;
  if (deps.clock.now() - target.message.createdAt.getTime() > windowHours * 3_600_000) {
    throw new AppError(
      ErrorCode.DeleteWindowClosed,
      windowHours === 0
        ? 'Messages cannot be deleted for everyone on this server. You can still delete it for yourself.'
        : `Messages can only be deleted for everyone within ${windowHours === 1 ? '1 hour' : `${windowHours} hours`} of sending. You can still delete it for yourself.`,
    );
  }
}
