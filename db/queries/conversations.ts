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

  const peers = await findDirectPeers(
    db,
    rows.filter((row) => row.kind === 'direct').map((row) => row.id),
    userId,
  );
  return rows.map((row) => ({ ...row, peer: peers.get(row.id) ?? null }));
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

export async function isMember(
  db: Executor,
  conversationId: string,
  userId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export async function listMemberIds(db: Executor, conversationId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(eq(conversationMembers.conversationId, conversationId));
  return rows.map((row) => row.userId);
}

/**
 * Moves the member's read marker forward to `seq` (never back, never past the newest message);
 * delivered follows, since what was read was delivered. Null when the user is not a member.
 */
export async function advanceReadMarker(
  db: Executor,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<{ readSeq: number; deliveredSeq: number } | null> {
  const target = sql`least(${seq}, (select ${conversations.lastSeq} from ${conversations} where ${conversations.id} = ${conversationId}))`;
  const [row] = await db
    .update(conversationMembers)
    .set({
      readUpToSeq: sql`greatest(${conversationMembers.readUpToSeq}, ${target})`,
      deliveredUpToSeq: sql`greatest(${conversationMembers.deliveredUpToSeq}, ${target})`,
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
  return row ?? null;
}
