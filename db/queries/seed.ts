// Bulk data for benchmarks and planner tests: many messages inserted by the database itself.

import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { conversations, messages } from '../schema';

/**
 * Appends `count` generated messages to a conversation in one statement and moves its last_seq,
 * keeping seqs gap-free. Refreshes the planner's statistics afterwards.
 */
export async function appendGeneratedMessages(
  db: Executor,
  conversationId: string,
  senderId: string,
  count: number,
): Promise<void> {
  const [conversation] = await db
    .select({ lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!conversation) throw new Error(`no conversation ${conversationId}`);
  const from = conversation.lastSeq + 1;
  const to = conversation.lastSeq + count;
  await db.execute(sql`
    insert into ${messages} (conversation_id, seq, sender_id, client_msg_id, kind, body)
    select ${conversationId}, n, ${senderId}, gen_random_uuid(), 'text', 'generated message ' || n
    from generate_series(${from}::int, ${to}::int) as n`);
  await db
    .update(conversations)
    .set({ lastSeq: to, lastMessageAt: sql`now()` })
    .where(eq(conversations.id, conversationId));
  await db.execute(sql`analyze ${messages}`);
}
