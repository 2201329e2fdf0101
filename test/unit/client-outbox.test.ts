// The outbox (hooks/client/outbox.ts): its retry policy, and how it sends, retries and gives
// up, against a request function whose answers each test gives by hand.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRetryable, Outbox, retryDelayMs } from '../../hooks/client/outbox';
import { createChatStore } from '../../hooks/client/store';
import type { Request } from '../../hooks/client/transport';
import { MemoryDeviceStore } from '../../hooks/device-store';
import type { Message } from '../../protocol';
import { message } from './fake-requests';

describe('the retry policy', () => {
  it('doubles the wait from 1 s up to 15 s, spread by half either way', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6].map((retries) => retryDelayMs(retries, undefined, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 15_000, 15_000,
    ]);
    expect(retryDelayMs(2, undefined, () => 0)).toBe(1_000);
    expect(retryDelayMs(2, undefined, () => 0.999)).toBeCloseTo(2_998);
  });

  it('waits exactly as long as the server asked', () => {
    expect(retryDelayMs(1, 4_200, () => 0.9)).toBe(4_200);
  });

  it('retries what the network or the server caused, never what the message itself did', () => {
    for (const code of ['TIMEOUT', 'INTERNAL', 'RATE_LIMITED', 'UNAVAILABLE'])
      expect(isRetryable({ code })).toBe(true);
    for (const code of ['MESSAGE_TOO_LONG', 'NOT_FOUND', 'CLIENT_MSG_ID_REUSED'])
      expect(isRetryable({ code })).toBe(false);
  });
});

interface Sent {
  conversationId: string;
  clientMsgId: string;
  body: string;
  replyToSeq?: number;
  answer: (response: unknown) => void;
}

function setUp() {
  const store = createChatStore({ id: 'alice', username: 'alice' });
  const device = new MemoryDeviceStore();
  const sent: Sent[] = [];
  const stored: Message[] = [];
  const request = ((_event: string, payload: Omit<Sent, 'answer'>) =>
    new Promise((answer) => sent.push({ ...payload, answer }))) as unknown as Request;
  const outbox = new Outbox({
    request,
    isConnected: () => true,
    store,
    device,
    onStored: (item) => stored.push(item),
  });
  const acked = (item: Sent, seq: number) => ({
    ok: true,
    duplicate: false,
    message: { ...message(seq, 'alice', item.conversationId), clientMsgId: item.clientMsgId },
  });
  return { store, device, sent, stored, outbox, acked };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the outbox', () => {
  it('stores a message before sending it, and forgets it once acknowledged', async () => {
    const { device, sent, stored, outbox, store, acked } = setUp();
    outbox.compose('c1', 'hello');
    await vi.advanceTimersByTimeAsync(0);
    expect((await device.loadOutbox()).map((item) => item.body)).toEqual(['hello']);
    expect(sent.map((item) => item.body)).toEqual(['hello']);
    sent[0]!.answer(acked(sent[0]!, 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().pending).toEqual([]);
    expect(await device.loadOutbox()).toEqual([]);
    expect(stored.map((item) => item.seq)).toEqual([1]);
  });

  it('sends one message at a time per conversation, in the order they were written', async () => {
    const { sent, outbox, acked } = setUp();
    outbox.compose('c1', 'first');
    outbox.compose('c1', 'second');
    outbox.compose('c2', 'elsewhere');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((item) => item.body)).toEqual(['first', 'elsewhere']);
    sent[0]!.answer(acked(sent[0]!, 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((item) => item.body)).toEqual(['first', 'elsewhere', 'second']);
  });

  it('sends an unanswered message again, with the same id, after the backoff', async () => {
    const { sent, outbox } = setUp();
    outbox.compose('c1', 'hello');
    await vi.advanceTimersByTimeAsync(0);
    sent[0]!.answer({ ok: false, code: 'TIMEOUT', message: 'The server did not answer in time.' });
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.clientMsgId).toBe(sent[0]!.clientMsgId);
  });

  it('marks a refused message failed, visibly, and goes on with the next', async () => {
    const { sent, outbox, store } = setUp();
    outbox.compose('c1', 'refused');
    outbox.compose('c1', 'next');
    await vi.advanceTimersByTimeAsync(0);
    sent[0]!.answer({ ok: false, code: 'NOT_FOUND', message: 'There is no such conversation.' });
    await vi.advanceTimersByTimeAsync(0);
    expect(
      store.getState().pending.map(({ body, status, error }) => ({ body, status, error })),
    ).toEqual([
      { body: 'refused', status: 'failed', error: 'There is no such conversation.' },
      { body: 'next', status: 'sending', error: undefined },
    ]);
    expect(sent.map((item) => item.body)).toEqual(['refused', 'next']);
  });

  it('pauses sending for as long as a RATE_LIMITED answer says, and ends the pause on success', async () => {
    const { sent, outbox, store, acked } = setUp();
    outbox.compose('c1', 'hello');
    await vi.advanceTimersByTimeAsync(0);
    const refusedAt = Date.now();
    sent[0]!.answer({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'Slow down.',
      retryAfterMs: 5_000,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().sendingPausedUntil).toBe(refusedAt + 5_000);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    sent[1]!.answer(acked(sent[1]!, 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().sendingPausedUntil).toBeNull();
    expect(store.getState().pending).toEqual([]);
  });

  it('keeps a message refused UNAVAILABLE, says it waits for the server, and retries with backoff', async () => {
    const { sent, outbox, store, acked } = setUp();
    const unavailable = {
      ok: false,
      code: 'UNAVAILABLE',
      message: 'The server cannot reach its database right now.',
      retryAfterMs: 2_000,
    };
    outbox.compose('c1', 'are you there?');
    await vi.advanceTimersByTimeAsync(0);
    // The backoff grows past the server's hint: 2 s (its hint, longer than 1 s), 2 s, 4 s.
    for (const wait of [2_000, 2_000, 4_000]) {
      sent.at(-1)!.answer(unavailable);
      await vi.advanceTimersByTimeAsync(0);
      expect(store.getState().isWaitingForServer).toBe(true);
      expect(store.getState().pending).toMatchObject([
        { body: 'are you there?', status: 'sending' },
      ]);
      const before = sent.length;
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(sent).toHaveLength(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toHaveLength(before + 1);
    }
    expect(new Set(sent.map((item) => item.clientMsgId)).size).toBe(1);
    sent.at(-1)!.answer(acked(sent.at(-1)!, 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().isWaitingForServer).toBe(false);
    expect(store.getState().pending).toEqual([]);
  });

  it('keeps a reply’s quoted seq through a reload and sends it with every attempt', async () => {
    const { device, sent, outbox, store, acked } = setUp();
    outbox.compose('c1', 'a plain one');
    outbox.compose('c2', 'yes, that one', 7);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map(({ body, replyToSeq }) => ({ body, replyToSeq }))).toEqual([
      { body: 'a plain one', replyToSeq: undefined },
      { body: 'yes, that one', replyToSeq: 7 },
    ]);
    // A send without a reply carries no replyToSeq at all.
    expect('replyToSeq' in sent[0]!).toBe(false);
    // The page reloads before any answer: a new outbox adopts what the device stored.
    const stored = await device.loadOutbox();
    expect(stored.find((item) => item.body === 'yes, that one')?.replyToSeq).toBe(7);
    const reloaded = new Outbox({
      request: ((_event: string, payload: Omit<Sent, 'answer'>) =>
        new Promise((answer) => sent.push({ ...payload, answer }))) as unknown as Request,
      isConnected: () => true,
      store: createChatStore(store.getState().me),
      device,
      onStored: () => undefined,
    });
    await reloaded.resume();
    expect(sent.slice(2).map(({ body, replyToSeq }) => ({ body, replyToSeq }))).toEqual([
      { body: 'a plain one', replyToSeq: undefined },
      { body: 'yes, that one', replyToSeq: 7 },
    ]);
    sent[3]!.answer(acked(sent[3]!, 1));
    await vi.advanceTimersByTimeAsync(0);
    expect((await device.loadOutbox()).map((item) => item.body)).toEqual(['a plain one']);
  });
});
