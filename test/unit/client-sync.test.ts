// Cursor sync (hooks/client/sync.ts) with the app's sink (held threads in the store and the
// device store), against a fake request function that answers from a list of messages.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeldThreads } from '../../hooks/client/held-threads';
import { createChatStore, upsertSummary } from '../../hooks/client/store';
import { ConversationSync } from '../../hooks/client/sync';
import { MemoryDeviceStore, type ThreadCursor } from '../../hooks/device-store';
import type { Message } from '../../protocol';
import { fakeServer, message, summary } from './fake-requests';

/** Counts what is written, so a test can tell that nothing was written again. */
class CountingDeviceStore extends MemoryDeviceStore {
  threadWrites = 0;
  override async saveThread(cursor: ThreadCursor, messages: Message[]): Promise<void> {
    this.threadWrites += 1;
    await super.saveThread(cursor, messages);
  }
}

const range = (from: number, to: number, senderId = 'bob') =>
  Array.from({ length: to - from + 1 }, (_, index) => message(from + index, senderId));

function setUp(stored: Message[], lastSeq: number) {
  const store = createChatStore({ id: 'alice', username: 'alice' });
  const device = new CountingDeviceStore();
  const threads = new HeldThreads(store, device);
  const server = fakeServer(stored);
  const sync = new ConversationSync({
    request: server.request,
    notify: server.notify,
    isConnected: () => true,
    sink: threads,
  });
  upsertSummary(store, summary({ lastSeq }));
  /** What the app does with a push or an ack (hooks/chat-client.ts, receiveMessage). */
  const receive = (item: Message) => {
    threads.applyToSummaries([item]);
    sync.receive(item);
  };
  const held = (conversationId = 'c1') => store.getState().threads[conversationId];
  return { store, device, threads, server, sync, receive, held };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('cursor sync', () => {
  it('fetches what lies between when a message arrives beyond the cursor', async () => {
    const { threads, server, sync, receive, held } = setUp(range(1, 5), 2);
    threads.holdNewest('c1', { messages: range(1, 2), hasMore: false });
    receive(message(5));
    await sync.sync('c1');
    expect(held()?.messages.map((item) => item.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(held()).toMatchObject({ oldestSeq: 1, syncedSeq: 5 });
    expect(server.calls).toEqual([
      { event: 'message:history', payload: { conversationId: 'c1', afterSeq: 2, limit: 100 } },
    ]);
    sync.stop();
  });

  it('starts a conversation first seen from its newest page', async () => {
    const { server, sync, receive, held } = setUp(range(1, 60), 60);
    receive(message(60));
    await sync.sync('c1');
    expect(held()).toMatchObject({ oldestSeq: 11, syncedSeq: 60 });
    expect(server.calls[0]).toEqual({
      event: 'message:history',
      payload: { conversationId: 'c1', limit: 50 },
    });
    sync.stop();
  });

  it('pages forward from the cursor until it reaches the newest seq', async () => {
    const { threads, server, sync, held } = setUp(range(1, 250), 250);
    threads.holdNewest('c1', { messages: range(1, 10), hasMore: false });
    expect(await sync.sync('c1')).toBe(true);
    expect(held()?.syncedSeq).toBe(250);
    expect(server.calls.map((call) => call.payload.afterSeq)).toEqual([10, 110, 210]);
    sync.stop();
  });

  it('catches up in the one round trip of the list, from the page that comes with it', async () => {
    vi.useFakeTimers();
    const { threads, server, sync, held } = setUp(range(1, 5), 2);
    threads.holdNewest('c1', { messages: range(1, 2), hasMore: false });
    server.conversations.push(summary({ lastSeq: 5, deliveredSeq: 2 }));
    expect(await sync.syncAll()).toBe(true);
    expect(held()?.messages.map((item) => item.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(held()?.syncedSeq).toBe(5);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls).toEqual([
      { event: 'conversation:list', payload: { cursors: [{ conversationId: 'c1', afterSeq: 2 }] } },
      { event: 'conversation:mark-delivered', payload: { conversationId: 'c1', seq: 5 } },
    ]);
    sync.stop();
  });

  it('pages on past the list’s page when it has more', async () => {
    const { threads, server, sync, held } = setUp(range(1, 250), 250);
    threads.holdNewest('c1', { messages: range(1, 10), hasMore: false });
    server.conversations.push(summary({ lastSeq: 250 }));
    expect(await sync.syncAll()).toBe(true);
    expect(held()?.syncedSeq).toBe(250);
    expect(
      server.calls
        .filter((call) => call.event !== 'conversation:mark-delivered')
        .map((call) => call.payload.cursors ?? call.payload.afterSeq),
    ).toEqual([[{ conversationId: 'c1', afterSeq: 10 }], 110, 210]);
    sync.stop();
  });

  it('asks a server that takes no cursors (the previous version) for the plain list', async () => {
    const { threads, server, sync, held } = setUp(range(1, 5), 5);
    threads.holdNewest('c1', { messages: range(1, 2), hasMore: false });
    server.conversations.push(summary({ lastSeq: 5 }));
    const request = server.request;
    const previousVersion: typeof request = async (event, payload) =>
      event === 'conversation:list' && 'cursors' in (payload as object)
        ? { ok: false, code: 'BAD_REQUEST', message: 'Unrecognized key: "cursors"' }
        : request(event, payload);
    const old = new ConversationSync({
      request: previousVersion,
      notify: server.notify,
      isConnected: () => true,
      sink: threads,
    });
    expect(await old.syncAll()).toBe(true);
    expect(held()?.syncedSeq).toBe(5);
    expect(server.calls.filter((call) => call.event !== 'conversation:mark-delivered')).toEqual([
      { event: 'conversation:list', payload: {} },
      { event: 'message:history', payload: { conversationId: 'c1', afterSeq: 2, limit: 100 } },
    ]);
    old.stop();
    sync.stop();
  });

  it('sends no cursors when it holds nothing, and starts from the newest page', async () => {
    const { server, sync, held } = setUp(range(1, 60), 60);
    server.conversations.push(summary({ lastSeq: 60 }));
    expect(await sync.syncAll()).toBe(true);
    expect(server.calls.slice(0, 2)).toEqual([
      { event: 'conversation:list', payload: {} },
      { event: 'message:history', payload: { conversationId: 'c1', limit: 50 } },
    ]);
    expect(held()).toMatchObject({ oldestSeq: 11, syncedSeq: 60 });
    sync.stop();
  });

  it('reports a burst delivered once, after the delay, and not the user’s own messages', async () => {
    vi.useFakeTimers();
    const { threads, server, sync, receive } = setUp(range(1, 5), 2);
    threads.holdNewest('c1', { messages: range(1, 2), hasMore: false });
    for (const seq of [3, 4, 5]) receive(message(seq));
    await vi.advanceTimersByTimeAsync(99);
    expect(server.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toEqual([
      { event: 'conversation:mark-delivered', payload: { conversationId: 'c1', seq: 5 } },
    ]);
    // The server moved the sender's own marker when it stored the message: nothing to report.
    receive(message(6, 'alice'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls).toHaveLength(1);
    sync.stop();
  });

  it('reports again at the next connect what the server did not record', async () => {
    vi.useFakeTimers();
    const { threads, server, sync, receive, store } = setUp(range(1, 5), 2);
    threads.holdNewest('c1', { messages: range(1, 2), hasMore: false });
    for (const seq of [3, 4, 5]) receive(message(seq));
    await vi.advanceTimersByTimeAsync(100);
    const report = {
      event: 'conversation:mark-delivered',
      payload: { conversationId: 'c1', seq: 5 },
    };
    expect(server.calls).toEqual([report]);
    // No answer comes: the report is not made again on this connection.
    sync.receive(message(5));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls).toEqual([report]);
    expect(store.getState().conversations[0]?.deliveredSeq).toBe(0);

    // The connection dropped with the report: the next list says delivery stops at 2.
    server.calls.length = 0;
    server.conversations.push(summary({ lastSeq: 5, deliveredSeq: 2 }));
    await sync.syncAll();
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls.filter((call) => call.event === 'conversation:mark-delivered')).toEqual([
      report,
    ]);

    // Had it landed, the list says so, and nothing is reported again.
    server.calls.length = 0;
    server.conversations.splice(0, 1, summary({ lastSeq: 5, deliveredSeq: 5 }));
    await sync.syncAll();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls.filter((call) => call.event === 'conversation:mark-delivered')).toEqual([]);
    sync.stop();
  });
});

describe('a message received twice', () => {
  it('changes no state, calls no listener and writes nothing again', async () => {
    const { threads, sync, receive, store, device } = setUp(range(1, 3), 3);
    threads.holdNewest('c1', { messages: range(1, 3), hasMore: false });
    await threads.flush();
    const before = store.getState();
    const writes = device.threadWrites;
    let notified = 0;
    const unsubscribe = store.subscribe(() => (notified += 1));
    receive({ ...message(3) });
    receive({ ...message(2) });
    await threads.flush();
    unsubscribe();
    sync.stop();
    expect(store.getState()).toBe(before);
    expect(notified).toBe(0);
    expect(device.threadWrites).toBe(writes);
  });
});
