// The device store in the browser: IndexedDB, one database per account, shared by the tabs.

import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ConversationSummary, Message } from '../protocol';
import type { PendingMessage } from './chat-state';
import {
  compareOutbox,
  mergeCursors,
  type DeviceSnapshot,
  type DeviceStore,
  type ThreadCursor,
} from './device-store';

interface ParleyDb extends DBSchema {
  conversations: { key: string; value: ConversationSummary };
  threads: { key: string; value: ThreadCursor };
  messages: { key: number; value: Message; indexes: { byConversation: [string, number] } };
  outbox: { key: string; value: PendingMessage };
}

const VERSION = 1;

export class IndexedDbDeviceStore implements DeviceStore {
  private readonly name: string;
  private database: Promise<IDBPDatabase<ParleyDb>> | undefined;

  constructor(userId: string) {
    this.name = `parley-${userId}`;
  }

  private db(): Promise<IDBPDatabase<ParleyDb>> {
    this.database ??= openDB<ParleyDb>(this.name, VERSION, {
      upgrade(db) {
        db.createObjectStore('conversations', { keyPath: 'id' });
        db.createObjectStore('threads', { keyPath: 'conversationId' });
        db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byConversation', [
          'conversationId',
          'seq',
        ]);
        db.createObjectStore('outbox', { keyPath: 'clientMsgId' });
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

  async load(): Promise<DeviceSnapshot> {
    const db = await this.db();
    const tx = db.transaction(['conversations', 'threads', 'messages', 'outbox']);
    const [conversations, cursors, messages, outbox] = await Promise.all([
      tx.objectStore('conversations').getAll(),
      tx.objectStore('threads').getAll(),
      tx.objectStore('messages').index('byConversation').getAll(),
      tx.objectStore('outbox').getAll(),
    ]);
    const byConversation = new Map<string, Message[]>();
    for (const message of messages) {
      const list = byConversation.get(message.conversationId) ?? [];
      list.push(message);
      byConversation.set(message.conversationId, list);
    }
    return {
      conversations,
      threads: cursors.map((cursor) => ({
        ...cursor,
        messages: byConversation.get(cursor.conversationId) ?? [],
      })),
      outbox: outbox.sort(compareOutbox),
    };
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
    await Promise.all(messages.map((message) => store.put(message)));
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

  async clear(): Promise<void> {
    const open = this.database;
    this.database = undefined;
    if (open) (await open).close();
    await deleteDB(this.name);
  }
}
