// Transactions, and the conversation row locks that order everything written to a conversation:
// every message takes its seq under the lock, and every membership change holds it too.

import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../client';
import { conversations } from '../schema';

/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
export function inTransaction<T>(db: Database, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

declare const held: unique symbol;

/**
 * Proof that a transaction holds the row locks of some conversations: appendMessages asks for
 * one, so that no message can take a seq without the lock. Only db/ makes them.
 */
export interface ConversationLock {
  readonly [held]: true;
  readonly tx: Transaction;
  readonly conversationIds: ReadonlySet<string>;
}

/**
 * Locks the conversations' rows (`SELECT … FOR UPDATE`) in id order, so that two transactions
 * that lock several never deadlock. Ids of conversations that do not exist are held too:
 * nothing can be appended to them. The ids go as an array, so that the rows come through the
 * primary key rather than a scan of the whole table.
 */
export async function lockConversations(
  tx: Transaction,
  conversationIds: string[],
): Promise<ConversationLock> {
  const ids = [...new Set(conversationIds)];
  await tx.execute(sql`
    select ${conversations.id} from ${conversations}
    where ${conversations.id} = any(array(
      select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))
    order by ${conversations.id}
    for update`);
  return heldLock(tx, ids);
}

/** For the row lock a query of db/ has just taken (or a row this transaction inserted). */
export function heldLock(tx: Transaction, conversationIds: string[]): ConversationLock {
  // The brand exists only in the type: this cast is the one place a lock is made.
  return {
    tx,
    conversationIds: new Set(conversationIds.map((id) => id.toLowerCase())),
  } as unknown as ConversationLock;
}

/** Throws unless `lock` was taken by `tx` and covers every one of `conversationIds`. */
export function assertLockHeld(
  tx: Transaction,
  lock: ConversationLock,
  conversationIds: Iterable<string>,
): void {
  if (lock.tx !== tx) throw new Error('the conversation lock belongs to another transaction');
  for (const id of conversationIds) {
    if (!lock.conversationIds.has(id.toLowerCase())) {
      throw new Error(`conversation ${id} is not locked by this transaction`);
    }
  }
}
