import {
  appendMessages,
  findFormerMembership,
  findMembership,
  inTransaction,
  isUniqueViolation,
  listMemberIds,
  listMessageViews,
  lockConversations,
  type MessageRow,
  type SendResult,
  type TextItem,
  type Transaction,
} from '../../db';
import {
  checkMessageText,
  ErrorCode,
  PREVIEW_MAX_CODE_POINTS,
  type Message,
  type UserSummary,
} from '../../protocol';
import type { Deps } from '../deps';
import { AppError, conversationNotFound } from '../errors';
import { findSendRefusal } from './blocking';
import { messageNotFound, noLongerMember } from './message-change';
import { toMessage } from './to-wire';

export interface ForwardInput {
  conversationId: string;
  seqs: number[];
  targets: { conversationId: string; clientMsgIds: string[] }[];
}

export interface ForwardedCopies {
  conversationId: string;
  /** The copies, in the order of the seqs. */
  messages: Message[];
  /** Copies stored now (the others were stored by an earlier try of the same ids). */
  created: Message[];
  /** Everyone to send the copies to, the sender included (their other devices). */
  memberIds: string[];
}

/**
 * Copies messages the sender sees into other conversations as ordinary new text messages
 * marked forwarded, with the text they have now. They go through appendMessages like any
 * send: the sender must be a member of each target, each copy costs one point of the message
 * rate limit, its text must fit the maximum length, and its clientMsgId makes a retry store
 * nothing twice. All copies are stored in one transaction, or none: a refusal stores nothing.
 */
export async function forwardMessages(
  deps: Deps,
  sender: UserSummary,
  input: ForwardInput,
): Promise<ForwardedCopies[]> {
  requireOneIdPerCopy(input);
  const bodies = await readSources(deps, sender.id, input);
  const copies = bodies.length * input.targets.length;
  // More copies than the limit ever lets through at once (the larger of its rate and its
  // burst reserve) would be refused however long one waited.
  const atOnce = Math.max(
    deps.settings.current.messagesPerSecond,
    deps.settings.current.messageBurst,
  );
  if (copies > atOnce) {
    throw new AppError(
      ErrorCode.BadRequest,
      `That makes ${copies} messages, and at most ${atOnce} can be sent at once. Forward to fewer chats at a time.`,
      { field: 'targets' },
    );
  }
  await deps.rateLimits.consumeEvent('message', sender.id, copies);
  const items: TextItem[] = input.targets.flatMap((target) =>
    target.clientMsgIds.map((clientMsgId, index) => ({
      kind: 'text' as const,
      conversationId: target.conversationId,
      senderId: sender.id,
      clientMsgId,
      body: bodies[index]!,
      isForwarded: true,
    })),
  );
  const results = await storeAllOrNothing(deps, sender.id, items);
  let next = 0;
  return Promise.all(
    input.targets.map(async (target) => {
      const ofTarget = results.slice(next, (next += target.clientMsgIds.length));
      const messages = ofTarget.map((copy) => toMessage(copy.row, sender));
      const created = messages.filter((_, index) => ofTarget[index]!.isCreated);
      const fresh = ofTarget.find((copy) => copy.isCreated);
      return {
        conversationId: target.conversationId,
        messages,
        created,
        memberIds:
          fresh?.memberIds ??
          (await listMemberIds(deps.db, target.conversationId, messages[0]!.seq)),
      };
    }),
  );
}

function requireOneIdPerCopy(input: ForwardInput): void {
  const ids = new Set<string>();
  for (const target of input.targets) {
    if (target.clientMsgIds.length !== input.seqs.length) {
      throw new AppError(ErrorCode.BadRequest, 'Give one clientMsgId per forwarded message.', {
        field: 'targets',
      });
    }
    for (const id of target.clientMsgIds) ids.add(id.toLowerCase());
  }
  if (ids.size !== input.seqs.length * input.targets.length) {
    throw new AppError(ErrorCode.BadRequest, 'Each copy needs a clientMsgId of its own.', {
      field: 'targets',
    });
  }
}

/**
 * The current text of each message to forward, in the order given. They must be messages the
 * sender sees and can still act on: a member's, not deleted, not hidden by them, not system
 * messages. Each text must fit the current maximum length (an admin may have lowered it).
 */
async function readSources(deps: Deps, senderId: string, input: ForwardInput): Promise<string[]> {
  const membership = await findMembership(deps.db, input.conversationId, senderId);
  if (!membership) {
    if (await findFormerMembership(deps.db, input.conversationId, senderId)) {
      throw noLongerMember();
    }
    throw conversationNotFound();
  }
  const views = await listMessageViews(deps.db, {
    conversationId: input.conversationId,
    seqs: input.seqs,
    readerId: senderId,
    quoteLength: PREVIEW_MAX_CODE_POINTS,
  });
  const bySeq = new Map(views.map((view) => [view.seq, view]));
  return input.seqs.map((seq) => {
    const view = bySeq.get(seq);
    if (!view || seq < membership.joinedSeq || view.hiddenChangeSeq !== null) {
      throw messageNotFound();
    }
    if (view.kind !== 'text') {
      throw new AppError(ErrorCode.Forbidden, 'System messages cannot be forwarded.');
    }
    if (view.deletedAt) throw new AppError(ErrorCode.Forbidden, 'This message was deleted.');
    const problem = checkMessageText(view.body, deps.settings.current.maxMessageLength);
    if (problem) throw new AppError(problem.code, problem.message);
    return view.body;
  });
}

interface StoredCopy {
  row: MessageRow;
  isCreated: boolean;
  memberIds?: string[];
}

/**
 * One transaction for every copy: each target conversation locked, the copies appended, and
 * everything rolled back if one is refused. A retry of the same ids that races in from
 * another transaction makes the unique index refuse the whole statement: tried again, it finds
 * the copies stored.
 */
async function storeAllOrNothing(
  deps: Deps,
  senderId: string,
  items: TextItem[],
  isRetry = false,
): Promise<StoredCopy[]> {
  try {
    return await inTransaction(deps.db, async (tx) => {
      const lock = await lockConversations(
        tx,
        items.map((item) => item.conversationId),
      );
      const results = await appendMessages(tx, lock, items);
      const copies: StoredCopy[] = [];
      for (const [index, result] of results.entries()) {
        copies.push(await toCopy(tx, senderId, items[index]!, result));
      }
      return copies;
    });
  } catch (error) {
    if (isRetry || !isUniqueViolation(error, 'messages_sender_client_msg_key')) throw error;
    return storeAllOrNothing(deps, senderId, items, true);
  }
}

async function toCopy(
  tx: Transaction,
  senderId: string,
  item: TextItem,
  result: SendResult,
): Promise<StoredCopy> {
  switch (result.status) {
    case 'created':
      return { row: result.message, isCreated: true, memberIds: result.memberIds };
    case 'duplicate':
      if (result.message.conversationId !== item.conversationId || !result.message.isForwarded) {
        throw new AppError(
          ErrorCode.ClientMsgIdReused,
          'This message id was already used for a different message. Forward with new ids.',
        );
      }
      return { row: result.message, isCreated: false };
    case 'not-member':
    case 'no-reply-target': {
      const blocked = await findSendRefusal({ db: tx }, item.conversationId, senderId);
      if (blocked) throw blocked;
      if (await findFormerMembership(tx, item.conversationId, senderId)) throw noLongerMember();
      throw conversationNotFound();
    }
  }
}
