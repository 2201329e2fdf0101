// What every change to a stored message shares (edit, delete, react): one transaction that
// locks the conversation's row, reads the actor's membership and the message under it, lets
// the use case decide and write, then reads the message as it now is and who sees it. A refusal
// is an AppError thrown inside the transaction: nothing is written. The result says what to
// answer and what to push once the transaction has committed.

import {
  findFormerMembership,
  inTransaction,
  listChangeAudience,
  listMessageViews,
  lockMessage,
  type ConversationLock,
  type MessageRow,
  type MessageView,
  type Transaction,
} from '../../db';
import { ErrorCode, PREVIEW_MAX_CODE_POINTS, type Message } from '../../protocol';
import type { Deps } from '../deps';
import { AppError, conversationNotFound } from '../errors';
import { toMessageView, toMessageViewWithHide } from './to-wire';

/** The message and its actor as a change finds them, under the lock. */
export interface LockedTarget {
  tx: Transaction;
  lock: ConversationLock;
  conversationKind: 'direct' | 'group';
  actor: { id: string; role: 'member' | 'admin' };
  /** A message the actor sees (from their joined_seq on). */
  message: MessageRow;
  isHiddenByActor: boolean;
  /** The edit's clientEditId was applied before (only asked for by edits). */
  isEditApplied: boolean;
}

/** message:changed for some of the people who see the change. */
export interface ChangeDelivery {
  userIds: string[];
  payload: {
    conversationId: string;
    messages: Message[];
    changeSeq: number;
    previousChangeSeq: number;
  };
}

export interface MessageChangeResult {
  /** The message as the actor now sees it (hidden, for "delete for me"). */
  message: Message;
  /** What to push, after the ack, to whom (every device but the one that acted). */
  deliveries: ChangeDelivery[];
}

/**
 * Runs `change` on the locked message, for an actor who must be a member: NOT_FOUND as for a
 * conversation that does not exist, FORBIDDEN for a former member (they know the group). A
 * message that does not exist, or lies before the actor joined, is NOT_FOUND. `change` refuses
 * or writes; a retry, or a change to what already is, writes nothing, and the current state is
 * pushed again all the same, as the first push may have died with its node.
 */
export async function changeMessage(
  deps: Deps,
  actorId: string,
  target: { conversationId: string; seq: number; clientEditId?: string },
  change: (locked: LockedTarget) => Promise<void>,
): Promise<MessageChangeResult> {
  const { conversationId, seq } = target;
  const { view, audience } = await inTransaction(deps.db, async (tx) => {
    const locked = await lockMessage(tx, { ...target, actorId });
    if (!locked) throw conversationNotFound();
    if (!locked.member) {
      if (await findFormerMembership(tx, conversationId, actorId)) throw noLongerMember();
      throw conversationNotFound();
    }
    if (!locked.message || locked.message.seq < locked.member.joinedSeq) throw messageNotFound();
    await change({
      tx,
      lock: locked.lock,
      conversationKind: locked.kind,
      actor: { id: actorId, role: locked.member.role },
      message: locked.message,
      isHiddenByActor: locked.isHiddenByActor,
      isEditApplied: locked.isEditApplied,
    });
    const [view] = await listMessageViews(tx, {
      conversationId,
      seqs: [seq],
      readerId: actorId,
      quoteLength: PREVIEW_MAX_CODE_POINTS,
    });
    if (!view) throw new Error('a changed message is gone');
    return { view, audience: await listChangeAudience(tx, conversationId, seq) };
  });
  const message = toMessageView(view);
  // A hide is the hider's alone; anything else goes to everyone who sees the message, each
  // in their own view of it (hidden for those who hid it).
  const isHide = view.hiddenChangeSeq !== null && view.hiddenChangeSeq > view.changeSeq;
  const viewers = isHide ? [{ userId: actorId, hiddenChangeSeq: view.hiddenChangeSeq }] : audience;
  return { message, deliveries: deliveriesOf(view, viewers) };
}

/** One push per distinct view of the message. */
function deliveriesOf(
  view: MessageView,
  viewers: { userId: string; hiddenChangeSeq: number | null }[],
): ChangeDelivery[] {
  const byView = new Map<string, ChangeDelivery>();
  for (const viewer of viewers) {
    const seen = toMessageViewWithHide(view, viewer.hiddenChangeSeq);
    const changeSeq = seen.changeSeq ?? 0;
    // Never changed for this viewer: nothing to tell them.
    if (changeSeq === 0) continue;
    const key = `${seen.isHidden ? 'hidden' : 'shown'}:${changeSeq}`;
    const delivery = byView.get(key);
    if (delivery) {
      delivery.userIds.push(viewer.userId);
      continue;
    }
    byView.set(key, {
      userIds: [viewer.userId],
      payload: {
        conversationId: view.conversationId,
        messages: [seen],
        changeSeq,
        previousChangeSeq: changeSeq - 1,
      },
    });
  }
  return [...byView.values()];
}

export function messageNotFound(): AppError {
  return new AppError(ErrorCode.NotFound, 'No such message.');
}

export function noLongerMember(): AppError {
  return new AppError(ErrorCode.Forbidden, 'You are no longer a member of this group.');
}

/** The actor deleted it for themselves: to them it is gone. */
export function requireShown(target: LockedTarget): void {
  if (target.isHiddenByActor) throw messageNotFound();
}
