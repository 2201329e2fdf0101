import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../client';
import {
  conversationMembers,
  conversations,
  messages,
  pushSubscriptions,
  settings,
} from '../schema';

export interface PushTarget {
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Registers a browser for a user; a browser that was someone else's now belongs to this user. */
export async function upsertPushSubscription(
  db: Executor,
  values: { userId: string; endpoint: string; p256dh: string; auth: string },
): Promise<void> {
  await db
    .insert(pushSubscriptions)
    .values(values)
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: { userId: values.userId, p256dh: values.p256dh, auth: values.auth },
    });
}

export async function deletePushSubscription(
  db: Executor,
  endpoint: string,
  userId?: string,
): Promise<boolean> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.endpoint, endpoint),
        userId ? eq(pushSubscriptions.userId, userId) : undefined,
      ),
    )
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

export interface PushLookup {
  targets: PushTarget[];
  kind: 'direct' | 'group';
  title: string | null;
}

/**
 * For each request: the subscribed browsers of the given members who have not muted the
 * conversation, with what a notification needs to name the conversation. One query for all.
 */
export async function findPushTargets(
  db: Executor,
  requests: { conversationId: string; userIds: string[] }[],
): Promise<PushLookup[]> {
  const conversationIds = [...new Set(requests.map((request) => request.conversationId))];
  const rows = await db
    .select({
      conversationId: conversationMembers.conversationId,
      userId: pushSubscriptions.userId,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
      kind: conversations.kind,
      title: conversations.title,
    })
    .from(pushSubscriptions)
    .innerJoin(
      conversationMembers,
      and(
        eq(conversationMembers.userId, pushSubscriptions.userId),
        inArray(conversationMembers.conversationId, conversationIds),
        eq(conversationMembers.isMuted, false),
      ),
    )
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId));
  return requests.map(({ conversationId, userIds }) => {
    const wanted = new Set(userIds);
    const found = rows.filter(
      (row) => row.conversationId === conversationId && wanted.has(row.userId),
    );
    return {
      targets: found.map(({ userId, endpoint, p256dh, auth }) => ({
        userId,
        endpoint,
        p256dh,
        auth,
      })),
      kind: found[0]?.kind ?? 'direct',
      title: found[0]?.title ?? null,
    };
  });
}

/**
 * Whether the message was deleted for everyone (or is gone): asked just before its push
 * notifications go out, so that none carries the text of a message deleted meanwhile.
 */
export async function isMessageDeleted(db: Executor, messageId: number): Promise<boolean> {
  const [row] = await db
    .select({ deletedAt: messages.deletedAt })
    .from(messages)
    .where(eq(messages.id, messageId))
    .limit(1);
  return !row || row.deletedAt !== null;
}

/**
 * The stored value of a setting, storing `initial` first if there is none. Nodes starting at
 * the same moment all end up with the value of whichever stored first.
 */
export async function getOrInitSetting<T>(db: Executor, key: string, initial: T): Promise<T> {
  await db.insert(settings).values({ key, value: initial }).onConflictDoNothing();
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, key));
  return row!.value as T;
}
