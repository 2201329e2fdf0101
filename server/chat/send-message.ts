import { findFormerMembership, listMemberIds, storeMessages, type Database } from '../../db';
import { checkMessageText, ErrorCode, type Message, type UserSummary } from '../../protocol';
import type { Deps } from '../deps';
import { Batcher } from '../lib/batcher';
import { AppError, conversationNotFound } from '../errors';
import { toMessage } from './to-wire';

export interface SendMessageResult {
  message: Message;
  /** False when this clientMsgId was stored before: nothing new was written. */
  created: boolean;
  /**
   * Everyone to send it to, the sender included (their other devices). A duplicate goes out
   * again too: the node that stored it may have died before its broadcast, and nothing else
   * would bring it to devices that are connected (clients drop a message they have by seq).
   */
  memberIds: string[];
}

/**
 * Stores a text message. Resolves only after COMMIT, so an ack built from the result is a
 * promise the message is durable. Retries with the same clientMsgId return the stored message.
 */
export async function sendMessage(
  deps: Deps,
  sender: UserSummary,
  input: { conversationId: string; clientMsgId: string; body: string },
): Promise<SendMessageResult> {
  const senderId = sender.id;
  const problem = checkMessageText(input.body, deps.settings.current.maxMessageLength);
  if (problem) throw new AppError(problem.code, problem.message);

  const result = await deps.messageWriter.add({
    kind: 'text',
    conversationId: input.conversationId,
    senderId,
    clientMsgId: input.clientMsgId,
    body: input.body,
  });
  if (result.status === 'not-member') {
    // They know the group: say why, rather than that it does not exist.
    if (await findFormerMembership(deps.db, input.conversationId, senderId)) {
      throw new AppError(ErrorCode.Forbidden, 'You are no longer a member of this group.');
    }
    throw conversationNotFound();
  }
  if (result.status === 'duplicate') {
    const stored = result.message;
    if (stored.conversationId !== input.conversationId || stored.body !== input.body) {
      throw new AppError(
        ErrorCode.ClientMsgIdReused,
        'This message id was already used for a different message. Send it with a new id.',
      );
    }
    return {
      message: toMessage(stored, sender.username),
      created: false,
      memberIds: await listMemberIds(deps.db, stored.conversationId, stored.seq),
    };
  }
  return {
    message: toMessage(result.message, sender.username),
    created: true,
    memberIds: result.memberIds,
  };
}

/** One per node: sends that arrive together are stored in one transaction. */
export function createMessageWriter(db: Database): Deps['messageWriter'] {
  return new Batcher((items) => storeMessages(db, items), { maxBatch: 256, concurrency: 2 });
}
