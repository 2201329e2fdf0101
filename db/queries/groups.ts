// Group membership changes. Each runs in one transaction that first locks the conversation row
// (the same lock every message insert takes), so that membership, the size limit and the
// system messages that record the change ("alice added bob") are ordered with the messages.

import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../client';
import { conversationMembers, conversations, messages, users, type MessageRow } from '../schema';

export type GroupRole = 'member' | 'admin';

export interface MemberRecord {
  userId: string;
  username: string;
  role: GroupRole;
  joinedSeq: number;
  joinedAt: Date;
}

export interface NamedUser {
  id: string;
  username: string;
}

/** What happened, for the system message that records it. */
export type GroupEvent =
  | { type: 'created'; actor: NamedUser; title: string }
  | { type: 'added'; actor: NamedUser; users: NamedUser[] }
  | { type: 'removed'; actor: NamedUser; user: NamedUser }
  | { type: 'left'; actor: NamedUser }
  | { type: 'promoted'; actor: NamedUser; user: NamedUser }
  | { type: 'demoted'; actor: NamedUser; user: NamedUser }
  /** The last admin left, and the longest-standing member took over. */
  | { type: 'succeeded'; actor: NamedUser; user: NamedUser };

export type DescribeGroupEvent = (event: GroupEvent) => string;

/** Why a change was refused. Nothing was written. */
export class GroupChangeRefused extends Error {
  constructor(
    readonly reason: 'not-found' | 'not-admin' | 'full' | 'last-admin' | 'not-a-member',
    readonly limit?: number,
  ) {
    super(`group change refused: ${reason}`);
    this.name = 'GroupChangeRefused';
  }
}

export interface GroupChange {
  conversationId: string;
  /** The system messages written, in seq order. */
  systemMessages: MessageRow[];
  /** Members after the change: they receive the system messages. */
  memberIds: string[];
  /** Users who are no longer members. */
  removedIds: string[];
}

export async function createGroup(
  db: Database,
  input: { creator: NamedUser; title: string; members: NamedUser[]; maxSize: number },
  describe: DescribeGroupEvent,
): Promise<GroupChange> {
  const others = input.members.filter((member) => member.id !== input.creator.id);
  if (others.length + 1 > input.maxSize) throw new GroupChangeRefused('full', input.maxSize);
  return db.transaction(async (tx) => {
    const [conversation] = await tx
      .insert(conversations)
      .values({ kind: 'group', title: input.title, createdBy: input.creator.id })
      .returning({ id: conversations.id });
    if (!conversation) throw new Error('insert into conversations returned no row');
    await tx
      .insert(conversationMembers)
      .values([
        { conversationId: conversation.id, userId: input.creator.id, role: 'admin' },
        ...others.map((member) => ({ conversationId: conversation.id, userId: member.id })),
      ]);
    const events: GroupEvent[] = [{ type: 'created', actor: input.creator, title: input.title }];
    if (others.length > 0) events.push({ type: 'added', actor: input.creator, users: others });
    const systemMessages = await appendSystemMessages(
      tx,
      conversation.id,
      0,
      input.creator.id,
      events.map(describe),
    );
    return {
      conversationId: conversation.id,
      systemMessages,
      memberIds: [input.creator.id, ...others.map((member) => member.id)],
      removedIds: [],
    };
  });
}

export async function addGroupMembers(
  db: Database,
  input: { conversationId: string; actorId: string; users: NamedUser[]; maxSize: number },
  describe: DescribeGroupEvent,
): Promise<GroupChange> {
  return changeGroup(
    db,
    input.conversationId,
    input.actorId,
    async (tx, group) => {
      requireAdmin(group.actor);
      const present = new Set(group.members.map((member) => member.userId));
      const newcomers = input.users.filter((user) => !present.has(user.id));
      if (newcomers.length === 0) return { events: [], removedIds: [] };
      if (group.members.length + newcomers.length > input.maxSize) {
        throw new GroupChangeRefused('full', input.maxSize);
      }
      // They see the group from the message that records their arrival on.
      const addedSeq = group.lastSeq + 1;
      await tx.insert(conversationMembers).values(
        newcomers.map((user) => ({
          conversationId: input.conversationId,
          userId: user.id,
          joinedSeq: addedSeq,
          deliveredUpToSeq: addedSeq - 1,
          readUpToSeq: addedSeq - 1,
        })),
      );
      return {
        events: [{ type: 'added', actor: named(group.actor), users: newcomers }],
        removedIds: [],
      };
    },
    describe,
  );
}

export async function removeGroupMember(
  db: Database,
  input: { conversationId: string; actorId: string; userId: string },
  describe: DescribeGroupEvent,
): Promise<GroupChange> {
  return changeGroup(
    db,
    input.conversationId,
    input.actorId,
    async (tx, group) => {
      requireAdmin(group.actor);
      const target = group.members.find((member) => member.userId === input.userId);
      if (!target) throw new GroupChangeRefused('not-a-member');
      await deleteMember(tx, input.conversationId, target.userId);
      return {
        events: [{ type: 'removed', actor: named(group.actor), user: named(target) }],
        removedIds: [target.userId],
      };
    },
    describe,
  );
}

/**
 * The actor leaves. If they were the last admin, the longest-standing member becomes admin,
 * recorded by a system message: a group never loses its last admin silently.
 */
export async function leaveGroup(
  db: Database,
  input: { conversationId: string; actorId: string },
  describe: DescribeGroupEvent,
): Promise<GroupChange> {
  return changeGroup(
    db,
    input.conversationId,
    input.actorId,
    async (tx, group) => {
      await deleteMember(tx, input.conversationId, group.actor.userId);
      const events: GroupEvent[] = [{ type: 'left', actor: named(group.actor) }];
      const remaining = group.members.filter((member) => member.userId !== group.actor.userId);
      if (remaining.length > 0 && !remaining.some((member) => member.role === 'admin')) {
        const successor = remaining[0]!; // members come ordered by seniority
        await setRole(tx, input.conversationId, successor.userId, 'admin');
        events.push({ type: 'succeeded', actor: named(successor), user: named(successor) });
      }
      return { events, removedIds: [group.actor.userId] };
    },
    describe,
  );
}

export async function setGroupRole(
  db: Database,
  input: { conversationId: string; actorId: string; userId: string; role: GroupRole },
  describe: DescribeGroupEvent,
): Promise<GroupChange> {
  return changeGroup(
    db,
    input.conversationId,
    input.actorId,
    async (tx, group) => {
      requireAdmin(group.actor);
      const target = group.members.find((member) => member.userId === input.userId);
      if (!target) throw new GroupChangeRefused('not-a-member');
      if (target.role === input.role) return { events: [], removedIds: [] };
      const admins = group.members.filter((member) => member.role === 'admin');
      if (input.role === 'member' && admins.length === 1)
        throw new GroupChangeRefused('last-admin');
      await setRole(tx, input.conversationId, target.userId, input.role);
      return {
        events: [
          {
            type: input.role === 'admin' ? 'promoted' : 'demoted',
            actor: named(group.actor),
            user: named(target),
          },
        ],
        removedIds: [],
      };
    },
    describe,
  );
}

/** Members with their usernames and roles, longest-standing first. */
export async function listMemberRecords(
  db: Database | Transaction,
  conversationId: string,
): Promise<MemberRecord[]> {
  return db
    .select({
      userId: conversationMembers.userId,
      username: users.username,
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

interface LockedGroup {
  lastSeq: number;
  members: MemberRecord[];
  actor: MemberRecord;
}

/**
 * Locks the group's row, checks that the actor is a member, runs `change`, then appends the
 * system messages it reports. Any refusal rolls everything back.
 */
async function changeGroup(
  db: Database,
  conversationId: string,
  actorId: string,
  change: (
    tx: Transaction,
    group: LockedGroup,
  ) => Promise<{ events: GroupEvent[]; removedIds: string[] }>,
  describe: DescribeGroupEvent,
): Promise<GroupChange> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ lastSeq: conversations.lastSeq })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), eq(conversations.kind, 'group')))
      .for('update');
    if (!locked) throw new GroupChangeRefused('not-found');
    const members = await listMemberRecords(tx, conversationId);
    const actor = members.find((member) => member.userId === actorId);
    // Not being a member looks exactly like the group not existing.
    if (!actor) throw new GroupChangeRefused('not-found');
    const { events, removedIds } = await change(tx, { lastSeq: locked.lastSeq, members, actor });
    const systemMessages = await appendSystemMessages(
      tx,
      conversationId,
      locked.lastSeq,
      actorId,
      events.map(describe),
    );
    const memberIds = (await listMemberRecords(tx, conversationId)).map((member) => member.userId);
    return { conversationId, systemMessages, memberIds, removedIds };
  });
}

/** Writes system messages after `lastSeq` and moves the conversation's seq past them. */
async function appendSystemMessages(
  tx: Transaction,
  conversationId: string,
  lastSeq: number,
  actorId: string,
  bodies: string[],
): Promise<MessageRow[]> {
  if (bodies.length === 0) return [];
  const rows = await tx
    .insert(messages)
    .values(
      bodies.map((body, index) => ({
        conversationId,
        seq: lastSeq + index + 1,
        senderId: actorId,
        clientMsgId: sql`gen_random_uuid()`,
        kind: 'system' as const,
        body,
      })),
    )
    .returning();
  const newSeq = lastSeq + bodies.length;
  await tx
    .update(conversations)
    .set({ lastSeq: newSeq, lastMessageAt: sql`now()` })
    .where(eq(conversations.id, conversationId));
  // The actor wrote them: like any sender, they have them delivered and read.
  await tx
    .update(conversationMembers)
    .set({
      deliveredUpToSeq: sql`greatest(${conversationMembers.deliveredUpToSeq}, ${newSeq})`,
      readUpToSeq: sql`greatest(${conversationMembers.readUpToSeq}, ${newSeq})`,
    })
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, actorId),
      ),
    );
  return rows.sort((a, b) => a.seq - b.seq);
}

function requireAdmin(actor: MemberRecord): void {
  if (actor.role !== 'admin') throw new GroupChangeRefused('not-admin');
}

function named(member: MemberRecord): NamedUser {
  return { id: member.userId, username: member.username };
}

async function deleteMember(
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

async function setRole(
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

/** Users with these usernames; the caller checks that none is missing. */
export async function findUsersByUsernames(
  db: Database,
  usernames: string[],
): Promise<NamedUser[]> {
  if (usernames.length === 0) return [];
  return db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(inArray(users.username, usernames));
}
