import { applyEdit } from '../../db';
import { checkMessageText, ErrorCode, type UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { changeMessage, requireShown, type MessageChangeResult } from './message-change';

/**
 * The sender changes the text of their message, within the edit window (settings:
 * editWindowMinutes, on the server's clock), validated exactly like a new message. Idempotent
 * by clientEditId: a retry answers the message as it is and writes nothing, even once the
 * window has closed. The seq stays, so an edit never makes a message unread again.
 */
export async function editMessage(
  deps: Deps,
  editor: UserSummary,
  input: { conversationId: string; seq: number; body: string; clientEditId: string },
): Promise<MessageChangeResult> {
  const problem = checkMessageText(input.body, deps.settings.current.maxMessageLength);
  if (problem) throw new AppError(problem.code, problem.message);
  return changeMessage(deps, editor.id, input, async (target) => {
    if (target.isEditApplied) return;
    requireShown(target);
    const { message } = target;
    if (message.kind !== 'text') {
      throw new AppError(ErrorCode.Forbidden, 'System messages cannot be edited.');
    }
    if (message.senderId !== editor.id) {
      throw new AppError(ErrorCode.Forbidden, 'You can only edit your own messages.');
    }
    if (message.deletedAt) {
      throw new AppError(ErrorCode.Forbidden, 'This message was deleted.');
    }
    const windowMinutes = deps.settings.current.editWindowMinutes;
    if (deps.clock.now() - message.createdAt.getTime() > windowMinutes * 60_000) {
      throw new AppError(
        ErrorCode.EditWindowClosed,
        windowMinutes === 0
          ? 'Messages cannot be edited on this server.'
          : `Messages can only be edited within ${describeMinutes(windowMinutes)} of sending.`,
      );
    }
    await applyEdit(target.tx, target.lock, {
      conversationId: input.conversationId,
      messageId: message.id,
      body: input.body,
      clientEditId: input.clientEditId,
    });
  });
}

function describeMinutes(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
