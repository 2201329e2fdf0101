// Change sync (hooks/client/sync.ts) and the actions on messages (hooks/client/message-actions.ts)
// with the app's sink (held threads in the store and the device store), against a fake request
// function that answers from a list of messages in their current state.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeldThreads } from '../../hooks/client/held-threads';
import { MessageActions } from '../../hooks/client/message-actions';
import { createChatStore, upsertSummary } from '../../hooks/client/store';
import { ConversationSync } from '../../hooks/client/sync';
import type { Request } from '../../hooks/client/transport';
import { MemoryDeviceStore } from '../../hooks/device-store';
import type { ConversationSummary, Message } from '../../protocol';
import { fakeServer, message, summary, type Call } from './fake-requests';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => message(from + index));

const edited = (seq: number, changeSeq: number): Message => ({
  ...message(seq),
  body: `edited ${seq} at ${changeSeq}`,
  changeSeq,
  editedAt: '2026-01-01T00:05:00.000Z',
});

function setUp(stored: Message[], list: Partial<ConversationSummary> = {}, request?: Request) {
  const store = createChatStore({ id: 'alice', username: 'alice' });
  const device = new MemoryDeviceStore();
  const threads = new HeldThreads(store, device);
  const server = fakeServer(stored, [summary(list)]);
  const sync = new ConversationSync({
    request: request ?? server.request,
    notify: server.notify,
    isConnected: () => true,
    sink: threads,
    changes: threads,
    reportsDelivery: false,
  });
  upsertSummary(store, summary(list));
  const held = () => store.getState().threads.c1;
  const changeCalls = () =>
    server.calls
      .filter((call) => call.event === 'message:changes')
      .map((call) => call.payload.afterChangeSeq);
  return { store, device, threads, server, sync, held, changeCalls };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('change sync', () => {
  it('pages through the changes beyond the change cursor until there are no more', async () => {
    const stored = range(1, 250).map((item) => edited(item.seq, item.seq));
    const { threads, sync, held, changeCalls, device } = setUp(stored, {
      lastSeq: 250,
      lastChangeSeq: 250,
    });
    threads.holdNewest('c1', { messages: range(1, 250), hasMore: false }, 0);
    expect(await sync.sync('c1')).toBe(true);
    expect(changeCalls()).toEqual([0, 200]);
    expect(held()?.changeSeq).toBe(250);
    expect(held()?.messages.every((item) => item.body.startsWith('edited'))).toBe(true);
    await threads.flush();
    const snapshot = await device.load(10);
    expect(snapshot.threads[0]).toMatchObject({ syncedSeq: 250, changeSeq: 250 });
    expect(snapshot.threads[0]!.messages.at(-1)?.body).toBe('edited 250 at 250');
  });

  it('applies a push that follows on, ignores one it has, and fetches on a gap', async () => {
    const stored = [edited(1, 1), edited(2, 2), edited(3, 3)];
    const { threads, sync, held, changeCalls, store } = setUp(stored, { lastSeq: 3 });
    threads.holdNewest('c1', { messages: range(1, 3), hasMore: false }, 0);

    sync.receiveChanges({
      conversationId: 'c1',
      messages: [edited(1, 1)],
      changeSeq: 1,
      previousChangeSeq: 0,
    });
    expect(held()).toMatchObject({ changeSeq: 1 });
    expect(held()?.messages[0]!.body).toBe('edited 1 at 1');

    const before = store.getState();
    sync.receiveChanges({
      conversationId: 'c1',
      messages: [{ ...edited(1, 1) }],
      changeSeq: 1,
      previousChangeSeq: 0,
    });
    expect(store.getState()).toBe(before);

    // Change 2 was missed: change 3 shows at once, and the cursor waits for the fetch.
    sync.receiveChanges({
      conversationId: 'c1',
      messages: [edited(3, 3)],
      changeSeq: 3,
      previousChangeSeq: 2,
    });
    expect(held()?.messages[2]!.body).toBe('edited 3 at 3');
    expect(held()?.changeSeq).toBe(1);
    await sync.sync('c1');
    expect(changeCalls()).toEqual([1]);
    expect(held()?.changeSeq).toBe(3);
    expect(held()?.messages.map((item) => item.body)).toEqual(stored.map((item) => item.body));
  });

  it('brings every held conversation up to date on each connect (and on sync:required)', async () => {
    const stored = [message(1), edited(2, 2), message(3)];
    const { threads, sync, held, changeCalls } = setUp(stored, { lastSeq: 3, lastChangeSeq: 2 });
    threads.holdNewest('c1', { messages: range(1, 3), hasMore: false }, 0);
    expect(await sync.syncAll()).toBe(true);
    expect(changeCalls()).toEqual([0]);
    expect(held()?.changeSeq).toBe(2);
    // Nothing new: the next connect asks for no changes.
    expect(await sync.syncAll()).toBe(true);
    expect(changeCalls()).toEqual([0]);
  });

  it('keeps a pushed edit of the last message when a list from before it arrives', async () => {
    // The list left the server before the edit; the edit was pushed and applied meanwhile.
    const { threads, sync, store } = setUp([message(1), message(2)]);
    threads.holdNewest('c1', { messages: range(1, 2), hasMore: false }, 0);
    sync.receiveChanges({
      conversationId: 'c1',
      messages: [edited(2, 1)],
      changeSeq: 1,
      previousChangeSeq: 0,
    });
    const stale = { ...store.getState().conversations[0]!, lastChangeSeq: 0 };
    threads.acceptList([{ ...stale, lastMessage: { ...stale.lastMessage!, body: 'message 2' } }]);
    expect(store.getState().conversations[0]!.lastMessage).toMatchObject({
      seq: 2,
      body: 'edited 2 at 1',
      isEdited: true,
    });
    expect(store.getState().conversations[0]!.lastChangeSeq).toBe(1);
  });

  it('starts a conversation first held from the change counter known before its page', async () => {
    // The page already shows change 3, made after the list said 2: the cursor stays at 2, so
    // that nothing made while the page travelled is skipped.
    const stored = [message(1), edited(2, 3)];
    const { sync, held, changeCalls, store } = setUp(stored, { lastSeq: 2, lastChangeSeq: 2 });
    await sync.sync('c1', { startHolding: true });
    expect(held()).toMatchObject({ syncedSeq: 2, changeSeq: 2 });
    expect(changeCalls()).toEqual([]);
    upsertSummary(store, summary({ lastSeq: 2, lastChangeSeq: 3 }));
    await sync.sync('c1');
    expect(changeCalls()).toEqual([2]);
    expect(held()?.changeSeq).toBe(3);
  });

  it('resumes from the stored change cursor after a restart', async () => {
    const stored = [edited(1, 1), message(2)];
    const first = setUp(stored, { lastSeq: 2, lastChangeSeq: 1 });
    first.threads.holdNewest('c1', { messages: range(1, 2), hasMore: false }, 0);
    await first.sync.sync('c1');
    await first.threads.flush();

    const store = createChatStore({ id: 'alice', username: 'alice' });
    const restarted = new HeldThreads(store, first.device);
    restarted.restore(await first.device.load(50));
    expect(restarted.changeCursorOf('c1')).toBe(1);
    expect(store.getState().threads.c1?.messages[0]!.body).toBe('edited 1 at 1');
  });
});

describe('the unread count', () => {
  const deleted = (seq: number, changeSeq: number): Message => ({
    ...message(seq),
    body: '',
    changeSeq,
    deleted: { at: '2026-01-01T00:10:00.000Z', by: { id: 'bob', username: 'bob' } },
  });

  it('stays the server’s when more than a page is unread and one not held was deleted', async () => {
    // 60 unread, message 5 deleted: the server counts 59; the device holds the newest 50.
    const stored = range(1, 60).map((item) => (item.seq === 5 ? deleted(5, 1) : item));
    const { store, sync, held, changeCalls } = setUp(stored, {
      lastSeq: 60,
      lastChangeSeq: 1,
      unreadCount: 59,
    });
    const unread = () => store.getState().conversations[0]?.unreadCount;
    expect(await sync.sync('c1', { startHolding: true })).toBe(true);
    expect(held()).toMatchObject({ oldestSeq: 11, syncedSeq: 60, changeSeq: 1 });
    expect(unread()).toBe(59);

    // Message 7, not held, is deleted: the device cannot count it, so it fetches the change
    // and the server's count with it.
    stored[6] = deleted(7, 2);
    sync.receiveChanges({
      conversationId: 'c1',
      messages: [stored[6]],
      changeSeq: 2,
      previousChangeSeq: 1,
    });
    expect(await sync.sync('c1')).toBe(true);
    expect(changeCalls()).toEqual([1]);
    expect(held()?.changeSeq).toBe(2);
    expect(unread()).toBe(58);

    // Message 55, held and unread, is deleted: counted here, nothing fetched.
    stored[54] = deleted(55, 3);
    sync.receiveChanges({
      conversationId: 'c1',
      messages: [stored[54]],
      changeSeq: 3,
      previousChangeSeq: 2,
    });
    expect(held()?.changeSeq).toBe(3);
    expect(unread()).toBe(57);
    expect(changeCalls()).toEqual([1]);
  });
});

describe('actions on messages', () => {
  interface Sent extends Call {
    answer: (response: unknown) => void;
  }

  function withManualAnswers(stored: Message[]) {
    const sent: Sent[] = [];
    const request = ((event: Call['event'], payload: Record<string, unknown>) =>
      new Promise((answer) => sent.push({ event, payload, answer }))) as unknown as Request;
    const context = setUp(stored, { lastSeq: 3 }, request);
    context.threads.holdNewest('c1', { messages: range(1, 3), hasMore: false }, 0);
    const stores: Message[] = [];
    const actions = new MessageActions({
      request,
      store: context.store,
      sync: context.sync,
      threads: context.threads,
      onStored: (item) => stores.push(item),
    });
    return { ...context, sent, actions, stores };
  }

  it('retry an unanswered edit with the same clientEditId, and apply the answer', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { sent, actions, held } = withManualAnswers([]);
    const result = actions.edit('c1', 2, 'better words');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((item) => item.event)).toEqual(['message:edit']);
    sent[0]!.answer({ ok: false, code: 'TIMEOUT', message: 'The server did not answer in time.' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.payload).toEqual(sent[0]!.payload);
    expect(sent[1]!.payload).toMatchObject({ conversationId: 'c1', seq: 2, body: 'better words' });
    sent[1]!.answer({ ok: true, message: { ...edited(2, 1), body: 'better words' } });
    expect(await result).toEqual({ ok: true });
    expect(held()?.messages[1]!.body).toBe('better words');
    expect(held()?.changeSeq).toBe(1);
  });

  it('refuse an edit to empty text without asking the server', async () => {
    const { sent, actions } = withManualAnswers([]);
    const result = await actions.edit('c1', 2, ' \n ');
    expect(result.ok).toBe(false);
    expect(sent).toEqual([]);
  });

  it('forward with one clientMsgId per copy, and hand the copies on as stored', async () => {
    const { sent, actions, stores } = withManualAnswers([]);
    const result = actions.forward('c1', [1, 2], ['c2', 'c3']);
    await Promise.resolve();
    const { targets } = sent[0]!.payload as {
      targets: { conversationId: string; clientMsgIds: string[] }[];
    };
    expect(targets.map((target) => target.conversationId)).toEqual(['c2', 'c3']);
    const ids = targets.flatMap((target) => target.clientMsgIds);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    const copy = (conversationId: string, seq: number, clientMsgId: string) => ({
      ...message(seq, 'alice', conversationId),
      clientMsgId,
      isForwarded: true as const,
    });
    const forwarded = targets.map((target) => ({
      conversationId: target.conversationId,
      messages: target.clientMsgIds.map((id, index) => copy(target.conversationId, index + 1, id)),
    }));
    sent[0]!.answer({ ok: true, forwarded });
    expect(await result).toEqual({
      ok: true,
      copies: forwarded.flatMap((target) => target.messages),
    });
    expect(stores.map((item) => item.clientMsgId)).toEqual(ids);
  });

  it('hide a message deleted for me at once, then fetch the change that did it', async () => {
    const hiddenTwo: Message = { ...message(2), body: '', changeSeq: 1, isHidden: true };
    const { server, threads, store, held, changeCalls } = setUp([message(1), hiddenTwo], {
      lastSeq: 2,
    });
    threads.holdNewest('c1', { messages: range(1, 2), hasMore: false }, 0);
    const request = (async (event: string, payload: never) =>
      event === 'message:delete'
        ? { ok: true, message: null }
        : server.request(event as 'message:changes', payload)) as unknown as Request;
    const sync = new ConversationSync({
      request,
      notify: server.notify,
      isConnected: () => true,
      sink: threads,
      changes: threads,
    });
    const actions = new MessageActions({
      request,
      store,
      sync,
      threads,
      onStored: () => undefined,
    });
    expect(await actions.delete('c1', 2, 'me')).toEqual({ ok: true });
    expect(held()?.messages[1]).toMatchObject({ seq: 2, isHidden: true, body: '' });
    await sync.sync('c1');
    expect(changeCalls()).toEqual([0]);
    expect(held()?.changeSeq).toBe(1);
    sync.stop();
  });

  it('load the history around a quoted message and every page between, keeping one run', async () => {
    const { threads, server, store } = setUp(range(1, 1000), { lastSeq: 1000 });
    threads.holdNewest('c1', { messages: range(951, 1000), hasMore: true }, 0);
    expect(await threads.loadAround('c1', 300, server.request)).toBe(true);
    const thread = store.getState().threads.c1!;
    expect(thread).toMatchObject({ oldestSeq: 275, syncedSeq: 1000 });
    expect(thread.messages.map((item) => item.seq)).toEqual(
      range(275, 1000).map((item) => item.seq),
    );
    expect(server.calls[0]!.payload).toEqual({ conversationId: 'c1', aroundSeq: 300, limit: 50 });
    expect(server.calls.slice(1).map((call) => call.payload.beforeSeq)).toEqual([
      951, 851, 751, 651, 551, 451, 351,
    ]);
    // Held already: nothing is asked.
    expect(await threads.loadAround('c1', 280, server.request)).toBe(true);
    expect(server.calls).toHaveLength(8);
  });
});
