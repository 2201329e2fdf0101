// The device store in the browser: IndexedDB, one database per account, shared by the tabs.

import {
  deleteDB,
  openDB,
  type DBSchema,
  type IDBPDatabase,
  type IDBPIndex,
  type IDBPTransaction,
  type StoreNames,
} from 'idb';
import type { ConversationSummary, Message } from '../protocol';
import type { PendingMessage } from './chat-state';
import {
  compareOutbox,
  isNewerThanStored,
  mergeCursors,
  newestPageRange,
  olderPageRange,
  type DeviceSnapshot,
  type DeviceStore,
  type SeqRange,
  type ThreadCursor,
} from './device-store';

interface ParleyDb extends DBSchema {
  conversations: { key: string; value: ConversationSummary };
  threads: { key: string; value: ThreadCursor };
  messages: { key: number; value: Message; indexes: { byConversation: [string, number] } };
  outbox: { key: string; value: PendingMessage };
  drafts: { key: string; value: { conversationId: string; text: string } };
}

/** 2 added the drafts; 3 the change cursor of each thread. */
const VERSION = 3;

export class IndexedDbDeviceStore implements DeviceStore {
  private readonly name: string;
  private database: Promise<IDBPDatabase<ParleyDb>> | undefined;

  constructor(userId: string) {
    this.name = `parley-${userId}`;
  }

  private db(): Promise<IDBPDatabase<ParleyDb>> {
    this.database ??= openDB<ParleyDb>(this.name, VERSION, {
      upgrade(db, oldVersion, _newVersion, transaction) {
        if (oldVersion < 1) {
          db.createObjectStore('conversations', { keyPath: 'id' });
          db.createObjectStore('threads', { keyPath: 'conversationId' });
          db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byConversation', [
            'conversationId',
            'seq',
          ]);
          db.createObjectStore('outbox', { keyPath: 'clientMsgId' });
        }
        if (oldVersion < 2) db.createObjectStore('drafts', { keyPath: 'conversationId' });
        // No message had changed before: every stored thread has seen all of its changes.
        if (oldVersion >= 1 && oldVersion < 3) void startChangeCursors(transaction);
      },
      // A tab running a newer version wants to upgrade the schema: step aside. This tab's
      // next write reopens (and fails loudly if it is too old), rather than block the new one.
      blocking: (_current, _blocked, event) => {
        (event.target as IDBDatabase).close();
        this.database = undefined;
      },
    });
    return this.database;
  }

  async load(pageSize: number): Promise<DeviceSnapshot> {
    const db = await this.db();
    const tx = db.transaction(['conversations', 'threads', 'messages', 'outbox', 'drafts']);
    const [conversations, cursors, outbox, drafts] = await Promise.all([
      tx.objectStore('conversations').getAll(),
      tx.objectStore('threads').getAll(),
      tx.objectStore('outbox').getAll(),
      tx.objectStore('drafts').getAll(),
    ]);
    // Only the newest page of each conversation: a device that holds years of history starts
    // as fast as a new one. Requests are issued at once, in the same transaction.
    const byConversation = tx.objectStore('messages').index('byConversation');
    const pages = await Promise.all(
      cursors.map((cursor) =>
        readRange(byConversation, cursor.conversationId, newestPageRange(cursor, pageSize)),
      ),
    );
    return {
      conversations,
      threads: cursors.map((cursor, index) => ({ ...cursor, messages: pages[index]! })),
      outbox: outbox.sort(compareOutbox),
      drafts: Object.fromEntries(drafts.map((draft) => [draft.conversationId, draft.text])),
    };
  }

  async loadOlder(conversationId: string, beforeSeq: number, limit: number): Promise<Message[]> {
    const db = await this.db();
    const tx = db.transaction(['threads', 'messages']);
    const cursor = await tx.objectStore('threads').get(conversationId);
    if (!cursor) return [];
    const index = tx.objectStore('messages').index('byConversation');
    return readRange(index, conversationId, olderPageRange(cursor, beforeSeq, limit));
  }

  async saveConversations(conversations: ConversationSummary[]): Promise<void> {
    const db = await this.db();
    const tx = db.transaction('conversations', 'readwrite');
    await tx.store.clear();
    await Promise.all(conversations.map((conversation) => tx.store.put(conversation)));
    await tx.done;
  }

  async saveThread(cursor: ThreadCursor, messages: Message[]): Promise<void> {
    const db = await this.db();
    const tx = db.transaction(['threads', 'messages'], 'readwrite');
    const threads = tx.objectStore('threads');
    const stored = await threads.get(cursor.conversationId);
    await threads.put(mergeCursors(stored, cursor));
    const store = tx.objectStore('messages');
    await Promise.all(
      messages.map(async (message) => {
        if (isNewerThanStored(await store.get(message.id), message)) await store.put(message);
      }),
    );
    await tx.done;
  }

  async deleteThread(conversationId: string): Promise<void> {
    const db = await this.db();
    const tx = db.transaction(['threads', 'messages'], 'readwrite');
    await tx.objectStore('threads').delete(conversationId);
    const range = IDBKeyRange.bound([conversationId, 0], [conversationId, Number.MAX_SAFE_INTEGER]);
    let cursor = await tx.objectStore('messages').index('byConversation').openCursor(range);
    while (cursor) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }

  async loadOutbox(): Promise<PendingMessage[]> {
    return (await (await this.db()).getAll('outbox')).sort(compareOutbox);
  }

  async putPending(message: PendingMessage): Promise<void> {
    await (await this.db()).put('outbox', message);
  }

  async deletePending(clientMsgId: string): Promise<void> {
    await (await this.db()).delete('outbox', clientMsgId);
  }

  async saveDraft(conversationId: string, text: string): Promise<void> {
    const db = await this.db();
    if (text === '') await db.delete('drafts', conversationId);
    else await db.put('drafts', { conversationId, text });
  }

  async clear(): Promise<void> {
    const open = this.database;
    this.database = undefined;
    if (open) (await open).close();
    await deleteDB(this.name);
  }
}

/** Version 3: each stored thread cursor gets a change cursor, at 0. */
async function startChangeCursors(
  transaction: IDBPTransaction<ParleyDb, StoreNames<ParleyDb>[], 'versionchange'>,
): Promise<void> {
  let cursor = await transaction.objectStore('threads').openCursor();
  while (cursor) {
    await cursor.update({ ...cursor.value, changeSeq: cursor.value.changeSeq ?? 0 });
    cursor = await cursor.continue();
  }
}

type MessagesByConversation = IDBPIndex<
  ParleyDb,
  ('conversations' | 'threads' | 'messages' | 'outbox' | 'drafts')[] | ('threads' | 'messages')[],
  'messages',
  'byConversation'
>;

/** One conversation's messages with seqs in the range, oldest first (the index's order). */
function readRange(
  index: MessagesByConversation,
  conversationId: string,
  range: SeqRange | null,
): Promise<Message[]> {
  if (!range) return Promise.resolve([]);
  return index.getAll(IDBKeyRange.bound([conversationId, range.from], [conversationId, range.to]));
}
