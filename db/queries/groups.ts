// Group rows and memberships: the primitives a membership change is made of. Who may change
// what is decided by the caller (server/chat), inside one transaction that holds the group's
// row lock (lockGroup), the same lock every message takes for its seq.

import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../client';
import { conversationMembers, conversations, users } from '../schema';
import { assertLockHeld, heldLock, type ConversationLock } from './locks';

export type GroupRole = 'member' | 'admin';

export interface MemberRecord {
  userId: string;
  username: string;
  /** '' when they set none. */
  displayName: string;
  role: GroupRole;
  joinedSeq: number;
  joinedAt: Date;
}

export interface GroupInfo {
  title: string;
  description: string;
  isInfoAdminsOnly: boolean;
  /** Only admins send messages (conversation_members.can_send follows it: syncSendRights). */
  isSendAdminsOnly: boolean;
}

export interface LockedGroup {
  lock: ConversationLock;
  /** As it was when locked. */
  info: GroupInfo;
  /** The seq of the newest message: the next one appended takes lastSeq + 1. */
  lastSeq: number;
  /** Read after the lock was taken; longest-standing first. */
  members: MemberRecord[];
}

/**
 * Locks a group's row and reads its members, in two statements: the second starts after the
 * lock is held, so it sees every change that committed before (a change that read the members
 * in the locking statement could miss one that committed while it waited). Null when there is
 * no group with this id.
 */
export async function lockGroup(
  tx: Transaction,
  conversationId: string,
): Promise<LockedGroup | null> {
  const [locked] = await tx
    .select({
      lastSeq: conversations.lastSeq,
      title: conversations.title,
      description: conversations.description,
      isInfoAdminsOnly: conversations.isInfoAdminsOnly,
      isSendAdminsOnly: conversations.isSendAdminsOnly,
    })
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.kind, 'group')))
    .for('update');
  if (!locked) return null;
  const members = await listMemberRecords(tx, conversationId);
  return {
    lock: heldLock(tx, [conversationId]),
    info: {
      title: locked.title ?? '',
      description: locked.description,
      isInfoAdminsOnly: locked.isInfoAdminsOnly,
      isSendAdminsOnly: locked.isSendAdminsOnly,
    },
    lastSeq: locked.lastSeq,
    members,
  };
}

/**
 * Brings the members' can_send flags in step with the group's "only admins send" and their
 * roles, under the group's lock: run by every change to a group, after its writes. Only rows
 * whose flag is wrong are written, so a change that touches neither costs one read.
 */
export async function syncSendRights(
  tx: Transaction,
  lock: ConversationLock,
  conversationId: string,
): Promise<void> {
  assertLockHeld(tx, lock, [conversationId]);
  await tx.execute(sql`
    update conversation_members cm
    set can_send = not (c.is_send_admins_only and cm.role <> 'admin')
    from conversations c
    where c.id = cm.conversation_id and cm.conversation_id = ${conversationId}
      and cm.can_send <> not (c.is_send_admins_only and cm.role <> 'admin')`);
}

/** Changes a group's name, description or who may change them, under its lock. */
export async function updateGroupInfo(
  tx: Transaction,
  lock: ConversationLock,
  conversationId: string,
  changes: Partial<GroupInfo>,
): Promise<void> {
  assertLockHeld(tx, lock, [conversationId]);
  await tx.update(conversations).set(changes).where(eq(conversations.id, conversationId));
}

/**
 * A new group conversation, with no members yet. Until the transaction commits no other one
 * can see the row, so the lock that comes with it needs no statement.
 */
export async function insertGroup(
  tx: Transaction,
  values: { title: string; createdBy: string; clientRequestId: string },
): Promise<{ id: string; lock: ConversationLock }> {
  const [row] = await tx
    .insert(conversations)
    .values({ kind: 'group', ...values })
    .returning({ id: conversations.id });
  if (!row) throw new Error('insert into conversations returned no row');
  return { id: row.id, lock: heldLock(tx, [row.id]) };
}

/** The group this user created with this clientRequestId, if any. */
export async function findGroupByClientRequestId(
  db: Executor,
  createdBy: string,
  clientRequestId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.createdBy, createdBy),
        eq(conversations.clientRequestId, clientRequestId),
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/**
 * Adds members who see the conversation from `joinedSeq` on. Their markers start just below
 * it, so they never hold back the ticks of the messages before their arrival.
 */
export async function insertMembers(
  tx: Transaction,
  conversationId: string,
  members: { userId: string; role: GroupRole }[],
  joinedSeq: number,
): Promise<void> {
  if (members.length === 0) return;
  const markers = Math.max(0, joinedSeq - 1);
  await tx.insert(conversationMembers).values(
    members.map((member) => ({
      conversationId,
      userId: member.userId,
      role: member.role,
      joinedSeq,
      deliveredUpToSeq: markers,
      readUpToSeq: markers,
    })),
  );
}

export async function deleteMember(
  tx: Transaction,
  conversationId: string,
  userId: string,
): Promise<void> {
  await tx
    .delete(conversationMembers)
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
      ),
    );
}

export async function setMemberRole(
  tx: Transaction,
  conversationId: string,
  userId: string,
  role: GroupRole,
): Promise<void> {
  await tx
    .update(conversationMembers)
    .set({ role })
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
      ),
    );
}

/** Members with their usernames and roles, longest-standing first. */
export async function listMemberRecords(
  db: Executor,
  conversationId: string,
): Promise<MemberRecord[]> {
  return db
    .select({
      userId: conversationMembers.userId,
      username: users.username,
      displayName: users.displayName,
      role: conversationMembers.role,
      joinedSeq: conversationMembers.joinedSeq,
      joinedAt: conversationMembers.joinedAt,
    })
    .from(conversationMembers)
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .where(eq(conversationMembers.conversationId, conversationId))
    .orderBy(
      asc(conversationMembers.joinedSeq),
      asc(conversationMembers.joinedAt),
      asc(users.username),
    );
}

/** Users with these usernames, deleted accounts left out; the caller checks none is missing. */
export async function findUsersByUsernames(
  db: Executor,
  usernames: string[],
): Promise<{ id: string; username: string }[]> {
  if (usernames.length === 0) return [];
  return db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(inArray(users.username, usernames), isNull(users.deletedAt)));
}

/** How many groups have more than `size` members (an operator lowered the limit below them). */
export async function countGroupsLargerThan(db: Executor, size: number): Promise<number> {
  const oversized = db
    .select({ conversationId: conversationMembers.conversationId })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(eq(conversations.kind, 'group'))
    .groupBy(conversationMembers.conversationId)
    .having(sql`count(*) > ${size}`)
    .as('oversized');
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(oversized);
  return row?.count ?? 0;
}
