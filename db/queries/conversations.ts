import {
  and,
  desc,
  eq,
  gt,
  inArray,
  lte,
  ne,
  or,
  sql,
  type Placeholder,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rowsOf, type Database, type Executor } from '../client';
import { isUniqueViolation } from '../errors';
import { isBlockedPair } from './blocks';
import { arrayFromJson, literal, preparedFor } from './prepared';
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
  description: string;
  isInfoAdminsOnly: boolean;
  isSendAdminsOnly: boolean;
  lastSeq: number;
  /** The conversation's change counter (message:changes). */
  lastChangeSeq: number;
  /**
   * Messages above the read marker that no longer count as unread: deleted for everyone, or
   * hidden by the viewer ("delete for me").
   */
  unreadGone: number;
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
  pinnedAt: Date | null;
  /** As stored: whether it still shows as archived is decided when read (isArchivedNow). */
  archivedAt: Date | null;
  lastMessage: {
    seq: number;
    senderId: string;
    kind: 'text' | 'system';
    body: string;
    createdAt: Date;
    isDeleted: boolean;
    isEdited: boolean;
  } | null;
  peer: { id: string; username: string; displayName: string } | null;
  /** A member, or someone who went and keeps the history up to then (former_members). */
  membership: 'member' | 'left' | 'removed';
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
 * The columns of a conversation's last message as a list shows it (its body cut to
 * `previewLength`), from `last`, an alias of messages joined on the message to show.
 */
export function previewOf(
  last: ReturnType<typeof alias<typeof messages, 'last'>>,
  previewLength: number | Placeholder,
) {
  return {
    seq: last.seq,
    senderId: last.senderId,
    kind: last.kind,
    body: sql<string>`left(${last.body}, ${previewLength})`,
    createdAt: last.createdAt,
    isDeleted: sql<boolean>`${last.deletedAt} is not null`,
    isEdited: sql<boolean>`${last.editedAt} is not null`,
  };
}

/**
 * The seq of the message a conversation list shows `userId` as the last one: the one at
 * `upToSeq`, or, when they deleted that one for themselves, the newest before it they did not.
 * Only a hidden last message costs more than one index lookup.
 */
export function previewSeqFor(
  userId: string | Placeholder,
  conversationId: SQLWrapper,
  upToSeq: SQLWrapper,
) {
  const isHidden = (seq: SQL | SQLWrapper) => sql`exists (
    select 1 from message_hides h
    where h.user_id = ${userId} and h.conversation_id = ${conversationId} and h.seq = ${seq})`;
  return sql`case when not ${isHidden(upToSeq)} then ${upToSeq} else (
    select max(v.seq) from messages v
    where v.conversation_id = ${conversationId} and v.seq < ${upToSeq}
      and not ${isHidden(sql`v.seq`)}) end`;
}

/** Joins `last` (an alias of messages) on the message a list shows as the conversation's last. */
export function isShownLast(
  last: ReturnType<typeof alias<typeof messages, 'last'>>,
  userId: string | Placeholder,
  upToSeq: SQLWrapper,
) {
  return and(
    eq(last.conversationId, conversations.id),
    eq(last.seq, previewSeqFor(userId, conversations.id, upToSeq)),
  );
}

/**
 * How many of the others' messages above `readSeq` no longer count as unread for `userId`:
 * deleted for everyone, or hidden by them. Both counts walk an index from the read marker up:
 * the partial index of deleted messages, and the viewer's hides.
 */
export function unreadGoneFor(
  userId: string | Placeholder,
  conversationId: SQLWrapper,
  readSeq: SQLWrapper,
) {
  return sql<number>`(
    (select count(*) from messages d
      where d.conversation_id = ${conversationId} and d.deleted_at is not null
        and d.seq > ${readSeq} and d.sender_id <> ${userId})
    + (select count(*) from message_hides h
      join messages hm on hm.conversation_id = h.conversation_id and hm.seq = h.seq
      where h.user_id = ${userId} and h.conversation_id = ${conversationId}
        and h.seq > ${readSeq} and hm.deleted_at is null and hm.sender_id <> ${userId})
  )::int`;
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
  // On every connect of every device: built once (prepared.ts), in two forms, for the whole
  // list and for one conversation.
  const { previewLength, conversationId } = options;
  const rows =
    conversationId === undefined
      ? await preparedFor(db, 'list_conversations', (executor, name) =>
          conversationListQuery(executor, 'list').prepare(name),
        ).execute({ userId, previewLength })
      : await preparedFor(db, 'list_one_conversation', (executor, name) =>
          conversationListQuery(executor, 'one').prepare(name),
        ).execute({ userId, previewLength, conversationId });

  return rows.map((row) =>
    conversationListRow(row, {
      lastSeq: row.lastSeq,
      unreadGone: row.unreadGone,
      lastMessageAt: row.lastMessageAt,
      readSeq: row.readSeq,
      deliveredSeq: row.deliveredSeq,
      deliveredToAllSeq: row.wide[0] ?? 0,
      readByAllSeq: row.wide[1] ?? 0,
      memberCount: row.wide[2] ?? 0,
      myRole: row.myRole,
      isMuted: row.isMuted,
      pinnedAt: row.pinnedAt,
      archivedAt: row.archivedAt,
      lastMessage: row.lastMessage,
      peer: row.peer,
      membership: 'member',
    }),
  );
}

/** A conversation's own columns in a list row (listedConversationColumns). */
type ListedConversation = Pick<
  ConversationListRow,
  | 'id'
  | 'kind'
  | 'title'
  | 'description'
  | 'isInfoAdminsOnly'
  | 'isSendAdminsOnly'
  | 'createdAt'
  | 'lastChangeSeq'
>;

/**
 * A row of a conversation list: the conversation's own columns, and the reader's place in it.
 * Written out, not `{ ...listed, ...place }`: in Node 20's V8 an object made by a spread is
 * slow to extend (about 2 µs per property added; docs/performance.md), and this runs for
 * every row of every list.
 */
export function conversationListRow(
  listed: ListedConversation,
  place: Omit<ConversationListRow, keyof ListedConversation>,
): ConversationListRow {
  return {
    id: listed.id,
    kind: listed.kind,
    title: listed.title,
    description: listed.description,
    isInfoAdminsOnly: listed.isInfoAdminsOnly,
    isSendAdminsOnly: listed.isSendAdminsOnly,
    createdAt: listed.createdAt,
    lastChangeSeq: listed.lastChangeSeq,
    lastSeq: place.lastSeq,
    unreadGone: place.unreadGone,
    lastMessageAt: place.lastMessageAt,
    readSeq: place.readSeq,
    deliveredSeq: place.deliveredSeq,
    deliveredToAllSeq: place.deliveredToAllSeq,
    readByAllSeq: place.readByAllSeq,
    memberCount: place.memberCount,
    myRole: place.myRole,
    isMuted: place.isMuted,
    pinnedAt: place.pinnedAt,
    archivedAt: place.archivedAt,
    lastMessage: place.lastMessage,
    peer: place.peer,
    membership: place.membership,
  };
}

/** The conversation's own columns in a row of a conversation list, whether a member or not. */
export const listedConversationColumns = {
  id: conversations.id,
  kind: conversations.kind,
  title: conversations.title,
  description: conversations.description,
  isInfoAdminsOnly: conversations.isInfoAdminsOnly,
  isSendAdminsOnly: conversations.isSendAdminsOnly,
  createdAt: conversations.createdAt,
  /** The change counter: devices sync the changes of what they can read (message:changes). */
  lastChangeSeq: conversations.lastChangeSeq,
};

/**
 * The user's conversations (placeholders userId and previewLength), or one of them
 * (conversationId), for listConversationsForUser to prepare: one statement with the peer of
 * each direct conversation and the markers of each conversation's members in it.
 */
function conversationListQuery(db: Executor, which: 'list' | 'one') {
  const userId = sql.placeholder('userId');
  const me = alias(conversationMembers, 'me');
  const last = alias(messages, 'last');
  return db
    .select({
      ...listedConversationColumns,
      lastSeq: conversations.lastSeq,
      unreadGone: unreadGoneFor(userId, conversations.id, me.readUpToSeq),
      lastMessageAt: conversations.lastMessageAt,
      readSeq: me.readUpToSeq,
      deliveredSeq: me.deliveredUpToSeq,
      myRole: me.role,
      isMuted: me.isMuted,
      pinnedAt: me.pinnedAt,
      archivedAt: me.archivedAt,
      lastMessage: previewOf(last, sql.placeholder('previewLength')),
      peer: directPeerOf(conversations, me.userId),
      wide: conversationWideMarkersOf(conversations.id),
    })
    .from(me)
    .innerJoin(conversations, eq(conversations.id, me.conversationId))
    .leftJoin(last, isShownLast(last, userId, conversations.lastSeq))
    .where(
      and(
        eq(me.userId, userId),
        // One asked-for conversation is always shown; the list hides others' empty ones.
        which === 'one'
          ? eq(conversations.id, sql.placeholder('conversationId'))
          : or(gt(conversations.lastSeq, 0), eq(conversations.createdBy, userId)),
      ),
    )
    .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`));
}

/**
 * A member's read marker as the others see it: nothing read while they have read receipts off
 * (users.is_sending_read_receipts), or in a direct chat with a block between its two people
 * (conversation_members.is_blocked). "Read by all" is the minimum of these, so it stays 0 for
 * everyone in a conversation with such a member, them included: they see no reads either.
 * The database function advance_markers (migration 0015) spells out the same expression.
 */
const SHOWN_READ_SEQ = sql.raw(
  `case when u.is_sending_read_receipts and not cm.is_blocked then cm.read_up_to_seq else 0 end`,
);

/**
 * How far every member of the conversation has received and read, and how many they are, as
 * [deliveredToAllSeq, readByAllSeq, memberCount]: one look through its members.
 */
function conversationWideMarkersOf(conversationId: SQLWrapper) {
  return sql<[number, number, number]>`(
    select array[coalesce(min(cm.delivered_up_to_seq), 0), coalesce(min(${SHOWN_READ_SEQ}), 0),
      count(*)::int]
    from conversation_members cm join users u on u.id = cm.user_id
    where cm.conversation_id = ${conversationId})`.mapWith(intArray);
}

interface DirectPeer {
  id: string;
  username: string;
  displayName: string;
}

/** The other member of a direct conversation; null in a group. */
function directPeerOf(conversation: typeof conversations, viewerId: SQLWrapper) {
  return sql<DirectPeer | null>`(
    select json_build_object('id', pu.id, 'username', pu.username,
      'displayName', pu.display_name)
    from conversation_members p join users pu on pu.id = p.user_id
    where ${conversation.kind} = 'direct' and p.conversation_id = ${conversation.id}
      and p.user_id <> ${viewerId}
    limit 1)`.mapWith((value) => jsonValue<DirectPeer>(value));
}

/** An int[] from the driver: an array already, or its text form ({1,2,3}). */
function intArray(value: unknown): [number, number, number] {
  const items = Array.isArray(value) ? value : String(value).replace(/[{}]/g, '').split(',');
  return items.map(Number) as [number, number, number];
}

/** A json value from the driver: parsed already, or its text. */
function jsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
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
  {
    id: string;
    username: string;
    deliveredSeq: number;
    readSeq: number;
    joinedSeq: number;
    isSendingReadReceipts: boolean;
    /** A direct chat with a block between its two people: reads are not shown. */
    isBlocked: boolean;
  }[]
> {
  return db
    .select({
      id: users.id,
      username: users.username,
      deliveredSeq: conversationMembers.deliveredUpToSeq,
      readSeq: conversationMembers.readUpToSeq,
      joinedSeq: conversationMembers.joinedSeq,
      isSendingReadReceipts: users.isSendingReadReceipts,
      isBlocked: conversationMembers.isBlocked,
    })
    .from(conversationMembers)
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .where(eq(conversationMembers.conversationId, conversationId))
    .orderBy(users.username);
}

/**
 * A conversation that makes its members contacts: every group, and a direct conversation once
 * it holds a message. An empty direct conversation is only someone having typed a username
 * (`conversation:start`); the other person never saw it.
 */
const isContactConversation = () =>
  or(eq(conversations.kind, literal('group')), gt(conversations.lastSeq, literal(0)));

/**
 * A contact conversation whose members are told of each other's coming and going as it
 * happens: any but a group of more than `groupMax` members (the members of a bigger one ask).
 */
const isPresencePushConversation = (groupMax: SQLWrapper) =>
  and(
    isContactConversation(),
    or(
      eq(conversations.kind, literal('direct')),
      // No member beyond the first groupMax: at most groupMax + 1 rows read, however big.
      sql`not exists (select 1 from ${conversationMembers} as group_member where group_member.conversation_id = ${conversations.id} offset ${groupMax})`,
    ),
  );

/** The conversations of `userId` that make their other members contacts. */
function contactConversationIds(db: Executor, userId: string | Placeholder) {
  return db
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, userId), isContactConversation()));
}

/** The member row's user and `userId` have no block between them (either way). */
function notBlockedWith(userId: string | Placeholder) {
  return sql`not ${isBlockedPair(sql`${userId}::uuid`, sql`${conversationMembers.userId}`)}`;
}

/**
 * A member row of one of `userId`'s contact conversations, whose user has no block with them:
 * `userId`'s own row too, unless the caller leaves it out.
 */
function isContactRow(db: Executor, userId: string | Placeholder) {
  return and(
    inArray(conversationMembers.conversationId, contactConversationIds(db, userId)),
    notBlockedWith(userId),
  );
}

/**
 * The distinct contacts of `userId` (not `userId`): the people they share a group with or
 * have a direct conversation with messages in it. Presence goes to these only.
 */
export async function listContactIds(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(and(isContactRow(db, userId), ne(conversationMembers.userId, userId)));
  return rows.map((row) => row.userId);
}

/**
 * Who is told the presence of each of `userIds` as it changes: their contacts (listContactIds)
 * who show their own presence, but not through a group of more than `groupMax` members (the
 * protocol's PRESENCE_PUSH_GROUP_MAX); and nobody for someone who hides theirs
 * (users.presence_visibility). One statement for everyone whose presence changed together;
 * someone nobody is told of is missing.
 */
export async function listPresenceViewerIds(
  db: Executor,
  userIds: string[],
  groupMax: number,
): Promise<Map<string, string[]>> {
  if (userIds.length === 0) return new Map();
  // As people come and go: built once (prepared.ts); the ids go in as one JSON array.
  const query = preparedFor(db, 'list_presence_viewer_ids', (executor, name) => {
    const subject = alias(conversationMembers, 'subject');
    const subjectUser = alias(users, 'subject_user');
    return executor
      .selectDistinct({ subjectId: subject.userId, viewerId: conversationMembers.userId })
      .from(subject)
      .innerJoin(
        subjectUser,
        and(
          eq(subjectUser.id, subject.userId),
          eq(subjectUser.presenceVisibility, literal('contacts')),
        ),
      )
      .innerJoin(
        conversations,
        and(
          eq(conversations.id, subject.conversationId),
          isPresencePushConversation(sql`${sql.placeholder('groupMax')}::int`),
        ),
      )
      .innerJoin(
        conversationMembers,
        eq(conversationMembers.conversationId, subject.conversationId),
      )
      .innerJoin(users, eq(users.id, conversationMembers.userId))
      .where(
        and(
          sql`${subject.userId} = any(${arrayFromJson('userIds', 'uuid')})`,
          ne(conversationMembers.userId, subject.userId),
          eq(users.presenceVisibility, literal('contacts')),
          sql`not ${isBlockedPair(sql`${subject.userId}`, sql`${conversationMembers.userId}`)}`,
        ),
      )
      .prepare(name);
  });
  const viewers = new Map<string, string[]>();
  const rows = await query.execute({ userIds: JSON.stringify(userIds), groupMax });
  for (const { subjectId, viewerId } of rows) {
    viewers.set(subjectId, [...(viewers.get(subjectId) ?? []), viewerId]);
  }
  return viewers;
}

/**
 * Which of `userIds` are contacts of which (see listContactIds; it is mutual), as pairs both
 * ways, each with whether either of the two hides their presence: what introducing them to
 * each other needs, in one statement.
 */
export async function listContactPairs(
  db: Executor,
  userIds: string[],
): Promise<{ viewerId: string; contactId: string; isEitherHiding: boolean }[]> {
  if (userIds.length < 2) return [];
  const viewer = alias(conversationMembers, 'viewer');
  const viewerUser = alias(users, 'viewer_user');
  return db
    .selectDistinct({
      viewerId: viewer.userId,
      contactId: conversationMembers.userId,
      isEitherHiding: sql<boolean>`(${viewerUser.presenceVisibility} = 'nobody'
        or ${users.presenceVisibility} = 'nobody')`,
    })
    .from(viewer)
    .innerJoin(
      conversations,
      and(eq(conversations.id, viewer.conversationId), isContactConversation()),
    )
    .innerJoin(conversationMembers, eq(conversationMembers.conversationId, viewer.conversationId))
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .innerJoin(viewerUser, eq(viewerUser.id, viewer.userId))
    .where(
      and(
        inArray(viewer.userId, userIds),
        inArray(conversationMembers.userId, userIds),
        ne(conversationMembers.userId, viewer.userId),
        sql`not ${isBlockedPair(sql`${viewer.userId}`, sql`${conversationMembers.userId}`)}`,
      ),
    );
}

/** Which of `candidateIds` are contacts of `userId` (see listContactIds). */
export async function filterContacts(
  db: Executor,
  userId: string,
  candidateIds: string[],
): Promise<string[]> {
  if (candidateIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(and(isContactRow(db, userId), inArray(conversationMembers.userId, candidateIds)));
  return rows.map((row) => row.userId);
}

/** The members; with `seq`, only those who see that message (added at or before it). */
export async function listMemberIds(
  db: Executor,
  conversationId: string,
  seq?: number,
): Promise<string[]> {
  const rows = await db
    .select({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        seq === undefined ? undefined : lte(conversationMembers.joinedSeq, seq),
      ),
    );
  return rows.map((row) => row.userId);
}

export interface MarkerMove {
  conversationId: string;
  userId: string;
  deliveredSeq?: number;
  readSeq?: number;
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
  /** Every member, when the conversation-wide markers moved (empty otherwise). */
  memberIds: string[];
  /** The members with read receipts off: nobody else is told their read marker, nor they others'. */
  readHiddenByIds: string[];
}

/**
 * Moves members' delivered and/or read markers forward (never back, never past the newest
 * message; reading implies delivery), many at once. Answers each move in order; null where
 * the user is not a member.
 *
 * One statement, the database function `advance_markers` (migration 0015), moves them and
 * reads each conversation's minimums before the move. Of several members reporting at once,
 * the last one must see the final minimum, so that a change of it is never missed:
 * - reports of one direct conversation take turns there (an advisory lock per conversation,
 *   held to the commit), and it reads their minimums again after the move;
 * - a group's many members report at once, and turns would queue them: their minimums are read
 *   again here, in a second statement after the first has committed.
 */
export async function advanceMarkers(
  db: Database,
  moves: MarkerMove[],
): Promise<(MarkerAdvance | null)[]> {
  const input = moves.map((move) => ({
    conversation_id: move.conversationId,
    user_id: move.userId,
    delivered: Math.max(move.deliveredSeq ?? 0, move.readSeq ?? 0),
    read: move.readSeq ?? 0,
  }));
  const [moved] = rowsOf<{
    updated_rows: { c: string; u: string; d: number; r: number; old: number }[];
    wide_rows: ConversationWideAfter[];
    group_before_rows: { c: string; d: number; r: number }[];
  }>(await db.execute(sql`select * from advance_markers(${JSON.stringify(input)}::jsonb)`));
  if (!moved || moved.updated_rows.length === 0) return moves.map(() => null);
  const after = new Map(
    [...moved.wide_rows, ...(await readGroupMinimumsAfter(db, moved.group_before_rows))].map(
      (row) => [row.c, row],
    ),
  );
  const updated = new Map(moved.updated_rows.map((row) => [`${row.c}/${row.u}`, row]));
  const counted = new Set<string>();
  return moves.map((move) => {
    const key = `${move.conversationId}/${move.userId}`;
    const row = updated.get(key);
    const wide = after.get(move.conversationId);
    if (!row || !wide) return null;
    // Several moves of one member in a batch: the first one counts what the batch delivered.
    const newlyDelivered = counted.has(key) ? 0 : Math.max(0, row.d - row.old);
    counted.add(key);
    return {
      deliveredSeq: row.d,
      readSeq: row.r,
      deliveredToAllSeq: Number(wide.d),
      readByAllSeq: Number(wide.r),
      newlyDelivered,
      isConversationWideChanged: wide.members !== null,
      memberIds: wide.members ?? [],
      readHiddenByIds: wide.hiding ?? [],
    };
  });
}

interface ConversationWideAfter {
  c: string;
  d: number;
  r: number;
  /** Every member when a minimum changed, else null. */
  members: string[] | null;
  hiding: string[] | null;
}

/** After the commit, in a new snapshot: what every member of these groups holds now. */
async function readGroupMinimumsAfter(
  db: Database,
  before: { c: string; d: number; r: number }[],
): Promise<ConversationWideAfter[]> {
  if (before.length === 0) return [];
  return rowsOf<ConversationWideAfter>(
    await db.execute(sql`
      with before as (
        select * from jsonb_to_recordset(${JSON.stringify(before)}::jsonb) as x(c uuid, d int, r int)
      )
      select b.c, agg.d, agg.r,
        case when agg.d <> b.d or agg.r <> b.r then agg.members end as members,
        agg.hiding
      from before b cross join lateral (
        select min(cm.delivered_up_to_seq) as d, min(${SHOWN_READ_SEQ}) as r,
          json_agg(cm.user_id) as members,
          json_agg(cm.user_id) filter (where not u.is_sending_read_receipts or cm.is_blocked)
            as hiding
        from conversation_members cm join users u on u.id = cm.user_id
        where cm.conversation_id = b.c) agg`),
  );
}
