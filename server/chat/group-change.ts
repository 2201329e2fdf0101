// What every change to a group shares: one transaction that locks the group's row (the lock
// every message takes for its seq), reads the members under it, decides, writes, and records the
// change with system messages at the next seqs ("alice added bob"). A refusal is an AppError
// thrown inside the transaction: nothing is written. The result says what to broadcast once the
// transaction has committed.

import {
  appendMessages,
  findFormerMembership,
  findMembership,
  inTransaction,
  insertFormerMembers,
  lockGroup,
  syncSendRights,
  type ConversationLock,
  type GroupInfo,
  type MemberRecord,
  type Transaction,
} from '../../db';
import { ErrorCode, type ConversationSummary, type Message } from '../../protocol';
import type { Deps } from '../deps';
import { AppError, conversationNotFound } from '../errors';
import { describeGroupEvent, type GroupEvent, type NamedUser } from './describe-group-event';
import { getConversation } from './get-conversation';
import { toMessage } from './to-wire';

export interface GroupChangeResult {
  conversationId: string;
  /** The group as the actor now sees it; null once the actor has left. */
  conversation: ConversationSummary | null;
  systemMessages: Message[];
  /** Receive the system messages. */
  memberIds: string[];
  /** Are no longer members; they keep the history up to the system message of their going. */
  removedIds: string[];
  /** Who of removedIds left themselves; the others were removed. */
  leftIds?: string[];
  /** When no system message records the going (a retried leave): the seq of the one that did. */
  departureSeq?: number;
}

/** The group as a change finds it, under the lock. */
export interface LockedGroup {
  tx: Transaction;
  lock: ConversationLock;
  conversationId: string;
  /** Its name, description and who may change them, as locked. */
  info: GroupInfo;
  /** The seq of the newest message: the first system message of the change takes the next. */
  lastSeq: number;
  /** Longest-standing first. */
  members: MemberRecord[];
  actor: MemberRecord;
}

/** What a change did: the events to record, and who joined or left. */
export interface GroupChangeOutcome {
  events: GroupEvent[];
  addedIds?: string[];
  removedIds?: string[];
}

/**
 * Runs `change` on the locked group, for an actor who must be one of its members. A change
 * whose goal is that the actor is no longer in the group (`isDoneWithoutActor`: leaving) is
 * already made when they are not: it answers as made, so a retry after a lost ack gets the
 * same answer; for a group that does not exist the answer is the same, so ids reveal nothing.
 * A direct conversation of the actor is not a group: NOT_FOUND.
 */
export async function changeGroup(
  deps: Deps,
  actorId: string,
  conversationId: string,
  change: (group: LockedGroup) => Promise<GroupChangeOutcome>,
  options: { isDoneWithoutActor?: boolean } = {},
): Promise<GroupChangeResult> {
  const committed = await inTransaction(deps.db, async (tx) => {
    const group = await lockGroup(tx, conversationId);
    const actor = group?.members.find((member) => member.userId === actorId);
    // (A conversation that is not a group but has the actor in it is their direct chat.)
    const isDone =
      options.isDoneWithoutActor &&
      !actor &&
      (group !== null || !(await findMembership(tx, conversationId, actorId)));
    if (isDone) {
      // Their devices are told again: the first answer may have been lost with its broadcasts.
      const former = await findFormerMembership(tx, conversationId, actorId);
      return {
        conversationId,
        memberIds: [],
        removedIds: former ? [actorId] : [],
        leftIds: former?.reason === 'left' ? [actorId] : [],
        systemMessages: [],
        ...(former ? { departureSeq: former.leftSeq } : {}),
      };
    }
    // Not being a member looks exactly like the group not existing.
    if (!group || !actor) throw conversationNotFound();
    const outcome = await change({
      tx,
      lock: group.lock,
      conversationId,
      info: group.info,
      lastSeq: group.lastSeq,
      members: group.members,
      actor,
    });
    // Roles, members or the group's "only admins send" may have changed: the flags follow.
    await syncSendRights(tx, group.lock, conversationId);
    const removedIds = outcome.removedIds ?? [];
    // The members after the change, from what the transaction read under the lock.
    const memberIds = [
      ...group.members
        .map((member) => member.userId)
        .filter((userId) => !removedIds.includes(userId)),
      ...(outcome.addedIds ?? []),
    ];
    const systemMessages = await recordGroupEvents(
      tx,
      group.lock,
      conversationId,
      toNamedUser(actor),
      outcome.events,
    );
    // Whoever went keeps the history up to the first system message of the change, which
    // records their going: the one who acts on themselves left, anyone else was removed.
    const leftIds = removedIds.filter((userId) => userId === actorId);
    const departureSeq = systemMessages[0]?.seq;
    if (removedIds.length > 0 && departureSeq === undefined) {
      throw new Error('a member went without a system message recording it');
    }
    await insertFormerMembers(
      tx,
      conversationId,
      group.members
        .filter((member) => removedIds.includes(member.userId))
        .map((member) => ({
          userId: member.userId,
          joinedSeq: member.joinedSeq,
          reason: leftIds.includes(member.userId) ? ('left' as const) : ('removed' as const),
        })),
      departureSeq ?? 0,
    );
    return { conversationId, memberIds, removedIds, leftIds, systemMessages };
  });
  return withActorView(deps, actorId, committed);
}

/** Appends the system messages that record `events`, in the actor's name. */
export async function recordGroupEvents(
  tx: Transaction,
  lock: ConversationLock,
  conversationId: string,
  actor: NamedUser,
  events: GroupEvent[],
): Promise<Message[]> {
  const recorded = await appendMessages(
    tx,
    lock,
    events.map((event) => ({
      kind: 'system' as const,
      conversationId,
      senderId: actor.id,
      body: describeGroupEvent(event),
    })),
  );
  return recorded.map((result) => toMessage(result.message, actor));
}

/** After the commit: adds the group as the actor now sees it (null once they have left). */
export async function withActorView(
  deps: Deps,
  actorId: string,
  change: Omit<GroupChangeResult, 'conversation'>,
): Promise<GroupChangeResult> {
  const isStillMember = change.memberIds.includes(actorId);
  return {
    ...change,
    conversation: isStillMember
      ? await getConversation(deps, actorId, change.conversationId)
      : null,
  };
}

export function requireAdmin(member: MemberRecord): void {
  if (member.role !== 'admin') {
    throw new AppError(ErrorCode.Forbidden, 'Only group admins can do that.');
  }
}

/** The member a change is about; refused when they are not in the group. */
export function findTarget(group: LockedGroup, userId: string): MemberRecord {
  const target = group.members.find((member) => member.userId === userId);
  if (!target) {
    throw new AppError(ErrorCode.NotFound, 'That person is not a member of this group.');
  }
  return target;
}

/** The limit counts every member, the creator included. */
export function requireRoomFor(memberCount: number, maxGroupSize: number): void {
  if (memberCount > maxGroupSize) {
    throw new AppError(
      ErrorCode.GroupFull,
      `This group is full: a group can have at most ${maxGroupSize} members.`,
    );
  }
}

export function toNamedUser(member: MemberRecord): NamedUser {
  return { id: member.userId, username: member.username };
}
