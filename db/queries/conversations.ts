import { and, desc, eq, gt, inArray, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Executor } from '../client';
import { isUniqueViolation } from '../errors';
import {
  conversationMembers,
  conversations,
  messages,
  users,
  type ConversationRow,
} from '../schema';

/** One row of a user's conversation list, before it is turned into the wire shape. */
export interface ConversationListRow {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  lastSeq: number;
  lastMessageAt: Date | null;
  createdAt: Date;
  readSeq: number;
  deliveredSeq: number;
  /** Minimum over all members. */
  deliveredToAllSeq: number;
  readByAllSeq: number;
  memberCount: number;
  myRole: 'member' | 'admin';
  isMuted: boolean;
  lastMessage: {
    seq: number;
    senderId: string;
    kind: 'text' | 'system';
    body: string;
    createdAt: Date;
  } | null;
  peer: { id: string; username: string } | null;
}

/** The direct conversation between two users, created with both as members if it is new. */
export async function findOrCreateDirectConversation(
  db: Database,
  createdBy: string,
  otherUserId: string,
): Promise<ConversationRow> {
  const directKey = [createdBy, otherUserId].sort().join(':');
  const existing = await findDirectConversation(db, directKey);
  if (existing) return existing;
  try {
    return await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(conversations)
        .values({ kind: 'direct', directKey, createdBy })
        .returning();
      if (!created) throw new Error('insert into conversations returned no row');
      await tx.insert(conversationMembers).values([
        { conversationId: created.id, userId: createdBy },
        { conversationId: created.id, userId: otherUserId },
      ]);
      return created;
    });
  } catch (error) {
    // Both people started it at the same moment: the other transaction won; use its row.
    if (!isUniqueViolation(error, 'conversations_direct_key_key')) throw error;
    const winner = await findDirectConversation(db, directKey);
    if (!winner) throw error;
    return winner;
  }
}

async function findDirectConversation(
  db: Executor,
  directKey: string,
): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.directKey, directKey))
    .limit(1);
  return row ?? null;
}

/**
 * The user's conversations, most recent activity first. Empty conversations appear in the list
 * only for the person who started them, as in other chat apps; asked for by id, they are found.
 */
export async function listConversationsForUser(
  db: Executor,
  userId: string,
  options: { previewLength: number; conversationId?: string },
): Promise<ConversationListRow[]> {
  const me = alias(conversationMembers, 'me');
  const last = alias(messages, 'last');
  const rows = await db
    .select({
      id: conversations.id,
      kind: conversations.kind,
      title: conversations.title,
      lastSeq: conversations.lastSeq,
      lastMessageAt: conversations.lastMessageAt,
      createdAt: conversations.createdAt,
      readSeq: me.readUpToSeq,
      deliveredSeq: me.deliveredUpToSeq,
      myRole: me.role,
      isMuted: me.isMuted,
      lastMessage: {
        seq: last.seq,
        senderId: last.senderId,
        kind: last.kind,
        body: sql<string>`left(${last.body}, ${options.previewLength})`,
        createdAt: last.createdAt,
      },
    })
    .from(me)
    .innerJoin(conversations, eq(conversations.id, me.conversationId))
    .leftJoin(
      last,
      and(eq(last.conversationId, conversations.id), eq(last.seq, conversations.lastSeq)),
    )
    .where(
      and(
        eq(me.userId, userId),
        // One asked-for conversation is always shown; the list hides others' empty ones.
        options.conversationId
          ? eq(conversations.id, options.conversationId)
          : or(gt(conversations.lastSeq, 0), eq(conversations.createdBy, userId)),
      ),
    )
    .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`));

  const [peers, markers] = await Promise.all([
    findDirectPeers(
      db,
      rows.filter((row) => row.kind === 'direct').map((row) => row.id),
      userId,
    ),
    findConversationWideMarkers(
      db,
      rows.map((row) => row.id),
    ),
  ]);
  return rows.map((row) => ({
    ...row,
    peer: peers.get(row.id) ?? null,
    deliveredToAllSeq: markers.get(row.id)?.deliveredToAllSeq ?? 0,
    readByAllSeq: markers.get(row.id)?.readByAllSeq ?? 0,
    memberCount: markers.get(row.id)?.memberCount ?? 0,
  }));
}

interface ConversationWideMarkers {
  deliveredToAllSeq: number;
  readByAllSeq: number;
  memberCount: number;
}

/** For each conversation: how far every member has received and read, and how many they are. */
async function findConversationWideMarkers(
  db: Executor,
  conversationIds: string[],
): Promise<Map<string, ConversationWideMarkers>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .select({
      conversationId: conversationMembers.conversationId,
      deliveredToAllSeq: sql<number>`min(${conversationMembers.deliveredUpToSeq})`.mapWith(Number),
      readByAllSeq: sql<number>`min(${conversationMembers.readUpToSeq})`.mapWith(Number),
      memberCount: sql<number>`count(*)`.mapWith(Number),
    })
    .from(conversationMembers)
    .where(inArray(conversationMembers.conversationId, conversationIds))
    .groupBy(conversationMembers.conversationId);
  return new Map(rows.map(({ conversationId, ...markers }) => [conversationId, markers]));
}

/** For each direct conversation id: the member who is not `userId`. */
async function findDirectPeers(
  db: Executor,
  conversationIds: string[],
  userId: string,
): Promise<Map<string, { id: string; username: string }>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .select({
      conversationId: conversationMembers.conversationId,
      id: users.id,
      username: users.username,
    })
    .from(conversationMembers)
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .where(
      and(
        inArray(conversationMembers.conversationId, conversationIds),
        ne(conversationMembers.userId, userId),
      ),
    );
  return new Map(rows.map((row) => [row.conversationId, { id: row.id, username: row.username }]));
}

/** The user's membership of the conversation, or null when they are not in it. */
export async function findMembership(
  db: Executor,
  conversationId: string,
  userId: string,
): Promise<{ role: 'member' | 'admin'; joinedSeq: number } | null> {
  const [row] = await db
    .select({ role: conversationMembers.role, joinedSeq: conversationMembers.joinedSeq })
    .from(conversationMembers)
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Every member's markers, with usernames: who has, and who has read, which message. */
export async function listMemberMarkers(
  db: Executor,
  conversationId: string,
): Promise<
  { id: string; username: string; deliveredSeq: number; readSeq: number; joinedSeq: number }[]
> {
  return db
    .select({
      id: users.id,
      username: users.username,
      deliveredSeq: conversationMembers.deliveredUpToSeq,
      readSeq: conversationMembers.readUpToSeq,
      joinedSeq: conversationMembers.joinedSeq,
    })
    .from(conversationMembers)
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .where(eq(conversationMembers.conversationId, conversationId))
    .orderBy(users.username);
}

/** The distinct users who share at least one conversation with `userId` (not `userId`). */
export async function listContactIds(db: Executor, userId: string): Promise<string[]> {
  const mine = db
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .where(eq(conversationMembers.userId, userId));
  const rows = await db
    .selectDistinct({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(
      and(
        inArray(conversationMembers.conversationId, mine),
        ne(conversationMembers.userId, userId),
      ),
    );
  return rows.map((row) => row.userId);
}

/** Which of `candidateIds` share at least one conversation with `userId`. */
export async function filterContacts(
  db: Executor,
  userId: string,
  candidateIds: string[],
): Promise<string[]> {
  if (candidateIds.length === 0) return [];
  const mine = db
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .where(eq(conversationMembers.userId, userId));
  const rows = await db
    .selectDistinct({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(
      and(
        inArray(conversationMembers.conversationId, mine),
        inArray(conversationMembers.userId, candidateIds),
      ),
    );
  return rows.map((row) => row.userId);
}

export async function listMemberIds(db: Executor, conversationId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(eq(conversationMembers.conversationId, conversationId));
  return rows.map((row) => row.userId);
}

export interface MarkerAdvance {
  /** The member's markers after the move. */
  deliveredSeq: number;
  readSeq: number;
  /** Conversation-wide markers after the move. */
  deliveredToAllSeq: number;
  readByAllSeq: number;
  /** How many messages this call marked delivered to the member for the first time. */
  newlyDelivered: number;
  /** Whether the conversation-wide markers moved: then every member should hear of it. */
  isConversationWideChanged: boolean;
}

/**
 * Moves a member's delivered and/or read marker forward (never back, never past the newest
 * message; reading implies delivery). Null when the user is not a member.
 *
 * The conversation-wide minimum is read before the update and again after it has committed:
 * of several members updating at once, the last to commit always sees the final minimum, so
 * a change of the minimum is never missed (at worst reported twice).
 */
export async function advanceMarkers(
  db: Database,
  conversationId: string,
  userId: string,
  target: { deliveredSeq?: number; readSeq?: number },
): Promise<MarkerAdvance | null> {
  const [before] = await db
    .select({
      deliveredToAllSeq: sql<number>`min(${conversationMembers.deliveredUpToSeq})`.mapWith(Number),
      readByAllSeq: sql<number>`min(${conversationMembers.readUpToSeq})`.mapWith(Number),
      ownDeliveredSeq:
        sql<number>`coalesce(max(case when ${conversationMembers.userId} = ${userId} then ${conversationMembers.deliveredUpToSeq} end), 0)`.mapWith(
          Number,
        ),
    })
    .from(conversationMembers)
    .where(eq(conversationMembers.conversationId, conversationId));
  const lastSeq = sql`(select ${conversations.lastSeq} from ${conversations} where ${conversations.id} = ${conversationId})`;
  const read = target.readSeq ?? 0;
  const delivered = Math.max(target.deliveredSeq ?? 0, read);
  const [row] = await db
    .update(conversationMembers)
    .set({
      readUpToSeq: sql`greatest(${conversationMembers.readUpToSeq}, least(${read}, ${lastSeq}))`,
      deliveredUpToSeq: sql`greatest(${conversationMembers.deliveredUpToSeq}, least(${delivered}, ${lastSeq}))`,
    })
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
      ),
    )
    .returning({
      readSeq: conversationMembers.readUpToSeq,
      deliveredSeq: conversationMembers.deliveredUpToSeq,
    });
  if (!row || !before) return null;
  const after = (await findConversationWideMarkers(db, [conversationId])).get(conversationId);
  if (!after) return null;
  return {
    ...row,
    deliveredToAllSeq: after.deliveredToAllSeq,
    readByAllSeq: after.readByAllSeq,
    newlyDelivered: row.deliveredSeq - before.ownDeliveredSeq,
    isConversationWideChanged:
      after.deliveredToAllSeq !== before.deliveredToAllSeq ||
      after.readByAllSeq !== before.readByAllSeq,
  };
}
