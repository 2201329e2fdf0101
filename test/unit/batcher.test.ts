// The group-commit Batcher: which calls are written together, how many writes run at once,
// how far apart they start, and how each call is answered. Timing is controlled with promises
// the test resolves itself, and for the spacing with a fake clock.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from '../../server/lib/batcher';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** One call of `write`: its items, and the promise it returned, for the test to settle. */
interface WriteCall {
  items: number[];
  answer(results: string[]): void;
  fail(error: unknown): void;
}

/** A `write` that records its calls and finishes only when the test says so. */
class FakeWrite {
  readonly calls: WriteCall[] = [];
  running = 0;
  mostRunning = 0;
  private readonly waiters: { count: number; signal: Deferred<void> }[] = [];

  readonly write = (items: number[]): Promise<string[]> => {
    const done = deferred<string[]>();
    this.calls.push({ items: [...items], answer: done.resolve, fail: done.reject });
    this.running += 1;
    this.mostRunning = Math.max(this.mostRunning, this.running);
    for (const waiter of this.waiters) {
      if (this.calls.length >= waiter.count) waiter.signal.resolve();
    }
    return done.promise.finally(() => {
      this.running -= 1;
    });
  };

  /** Resolves once `write` has been called `count` times; answers the `count`-th call. */
  async called(count: number): Promise<WriteCall> {
    if (this.calls.length < count) {
      const signal = deferred<void>();
      this.waiters.push({ count, signal });
      await signal.promise;
    }
    return this.calls[count - 1]!;
  }
}

/**
 * Not a sleep: setImmediate callbacks run in the order they were scheduled, so when this one
 * runs, the batcher's own setImmediate (scheduled by an earlier add) has run its pump.
 */
function afterBatcherTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const answerOf = (items: number[]) => items.map((item) => `r${item}`);

/** A promise's outcome, without letting a rejection go unhandled. */
function settle<T>(promise: Promise<T>) {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describe('Batcher', () => {
  it('writes calls made in the same turn together, in order, and answers each its own result', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 10, concurrency: 1 });
    const results = [1, 2, 3].map((item) => batcher.add(item));
    expect(batcher.waiting).toBe(3);

    const first = await fake.called(1);
    expect(first.items).toEqual([1, 2, 3]);
    expect(batcher.waiting).toBe(0);
    first.answer(['one', 'two', 'three']);
    await expect(Promise.all(results)).resolves.toEqual(['one', 'two', 'three']);
    expect(fake.calls).toHaveLength(1);
  });

  it('writes calls made after awaits within the same turn together', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 10, concurrency: 1 });
    // A handler that awaits (already settled promises) between calls is still in one turn.
    const a = batcher.add(1);
    await Promise.resolve();
    const b = batcher.add(2);
    await Promise.resolve();
    await Promise.resolve();
    const c = batcher.add(3);

    const first = await fake.called(1);
    expect(first.items).toEqual([1, 2, 3]);
    first.answer(answerOf(first.items));
    await expect(Promise.all([a, b, c])).resolves.toEqual(['r1', 'r2', 'r3']);
    expect(fake.calls).toHaveLength(1);
  });

  it('writes a call alone when nothing else is waiting or running', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 10, concurrency: 1 });
    const a = batcher.add(1);
    (await fake.called(1)).answer(['a']);
    await expect(a).resolves.toBe('a');

    const b = batcher.add(2);
    const second = await fake.called(2);
    expect(second.items).toEqual([2]);
    second.answer(['b']);
    await expect(b).resolves.toBe('b');
  });

  it('holds calls that come while a write is under way, and writes them together next', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 10, concurrency: 1 });
    const a = batcher.add(1);
    const first = await fake.called(1);
    expect(first.items).toEqual([1]);

    // Two more calls, in two different turns, while the first write has not finished.
    const b = batcher.add(2);
    await afterBatcherTurn();
    const c = batcher.add(3);
    await afterBatcherTurn();
    expect(fake.calls).toHaveLength(1);
    expect(batcher.waiting).toBe(2);

    first.answer(['a']);
    await expect(a).resolves.toBe('a');
    const second = await fake.called(2);
    expect(second.items).toEqual([2, 3]);
    expect(batcher.waiting).toBe(0);
    second.answer(['b', 'c']);
    await expect(Promise.all([b, c])).resolves.toEqual(['b', 'c']);
    expect(fake.calls).toHaveLength(2);
    expect(fake.mostRunning).toBe(1);
  });

  it('puts at most maxBatch calls in one write; the rest wait for the next', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 2, concurrency: 1 });
    const results = [1, 2, 3, 4, 5].map((item) => batcher.add(item));

    const first = await fake.called(1);
    expect(first.items).toEqual([1, 2]);
    await afterBatcherTurn();
    expect(fake.calls).toHaveLength(1);
    expect(batcher.waiting).toBe(3);

    first.answer(answerOf(first.items));
    const second = await fake.called(2);
    expect(second.items).toEqual([3, 4]);
    second.answer(answerOf(second.items));
    const third = await fake.called(3);
    expect(third.items).toEqual([5]);
    third.answer(answerOf(third.items));

    await expect(Promise.all(results)).resolves.toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(fake.calls).toHaveLength(3);
  });

  it('runs up to `concurrency` writes at once, and starts the next when one finishes', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 2, concurrency: 2 });
    const results = [1, 2, 3, 4, 5, 6, 7].map((item) => batcher.add(item));

    const first = await fake.called(1);
    const second = await fake.called(2);
    expect([first.items, second.items]).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await afterBatcherTurn();
    expect(fake.calls).toHaveLength(2);
    expect(fake.running).toBe(2);
    expect(batcher.waiting).toBe(3);

    // The second write finishes first: its calls are answered, and the third write starts.
    second.answer(answerOf(second.items));
    await expect(Promise.all(results.slice(2, 4))).resolves.toEqual(['r3', 'r4']);
    const third = await fake.called(3);
    expect(third.items).toEqual([5, 6]);
    await afterBatcherTurn();
    expect(fake.calls).toHaveLength(3);
    expect(batcher.waiting).toBe(1);

    first.answer(answerOf(first.items));
    const fourth = await fake.called(4);
    expect(fourth.items).toEqual([7]);
    third.answer(answerOf(third.items));
    fourth.answer(answerOf(fourth.items));

    await expect(Promise.all(results)).resolves.toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((item) => `r${item}`),
    );
    expect(fake.mostRunning).toBe(2);
  });

  it('starts a single write when concurrency is 1, however many calls wait', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 1, concurrency: 1 });
    const results = [1, 2, 3].map((item) => batcher.add(item));
    for (let count = 1; count <= 3; count += 1) {
      const call = await fake.called(count);
      await afterBatcherTurn();
      expect(fake.calls).toHaveLength(count);
      expect(fake.running).toBe(1);
      call.answer(answerOf(call.items));
    }
    await expect(Promise.all(results)).resolves.toEqual(['r1', 'r2', 'r3']);
    expect(fake.calls.map((call) => call.items)).toEqual([[1], [2], [3]]);
    expect(fake.mostRunning).toBe(1);
  });

  it('fails every call of a batch whose write throws, and still writes the next batch', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 2, concurrency: 1 });
    const failing = [1, 2].map((item) => settle(batcher.add(item)));
    const later = batcher.add(3);

    const first = await fake.called(1);
    expect(first.items).toEqual([1, 2]);
    const error = new Error('database is down');
    first.fail(error);
    expect(await Promise.all(failing)).toEqual([
      { ok: false, error },
      { ok: false, error },
    ]);

    const second = await fake.called(2);
    expect(second.items).toEqual([3]);
    second.answer(['fine']);
    await expect(later).resolves.toBe('fine');
  });

  it('keeps working after a failed write when every waiting call had been taken', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 10, concurrency: 1 });
    const failed = settle(batcher.add(1));
    const first = await fake.called(1);
    const error = new Error('serialization failure');
    first.fail(error);
    expect(await failed).toEqual({ ok: false, error });

    // The failed write released its slot: a new call is written at once.
    const next = batcher.add(2);
    const second = await fake.called(2);
    expect(second.items).toEqual([2]);
    second.answer(['ok']);
    await expect(next).resolves.toBe('ok');
    expect(fake.running).toBe(0);
  });

  it('answers calls from a write that is async and throws (not only a rejected promise)', async () => {
    let calls = 0;
    const batcher = new Batcher<number, string>(
      async (items) => {
        calls += 1;
        if (items.includes(1)) throw new Error('bad item');
        return answerOf(items);
      },
      { maxBatch: 2, concurrency: 1 },
    );
    const results = [1, 2, 3].map((item) => settle(batcher.add(item)));
    const [one, two, three] = await Promise.all(results);
    expect(one).toMatchObject({ ok: false, error: { message: 'bad item' } });
    expect(two).toMatchObject({ ok: false, error: { message: 'bad item' } });
    expect(three).toEqual({ ok: true, value: 'r3' });
    expect(calls).toBe(2);
  });

  it('is idle only once every call, those made while writing too, is written or failed', async () => {
    const fake = new FakeWrite();
    const batcher = new Batcher(fake.write, { maxBatch: 2, concurrency: 1 });
    await expect(batcher.idle()).resolves.toBeUndefined();

    const calls = [1, 2, 3].map((item) => settle(batcher.add(item)));
    let isIdle = false;
    const idle = batcher.idle().then(() => (isIdle = true));
    const first = await fake.called(1);
    const late = settle(batcher.add(4));
    first.fail(new Error('the database is gone'));
    const second = await fake.called(2);
    expect(second.items).toEqual([3, 4]);
    expect(isIdle).toBe(false);
    second.answer(answerOf(second.items));
    await idle;
    expect(await Promise.all([...calls, late])).toMatchObject([
      { ok: false },
      { ok: false },
      { ok: true, value: 'r3' },
      { ok: true, value: 'r4' },
    ]);
  });

  describe('with spacing', () => {
    // The clock the spacing reads (performance.now) and its timers are faked; setImmediate,
    // with which a batcher gathers the calls of one turn, is not.
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('writes a call at once after a quiet spell, and holds later ones until the spacing is over', async () => {
      const fake = new FakeWrite();
      const batcher = new Batcher(fake.write, { maxBatch: 10, concurrency: 1, spacingMs: 10 });

      const a = batcher.add(1);
      const first = await fake.called(1);
      expect(first.items).toEqual([1]);
      vi.advanceTimersByTime(2);
      first.answer(['a']);
      await expect(a).resolves.toBe('a');

      // The write is done, but the spacing is not: the next calls wait, and go together.
      const b = batcher.add(2);
      await afterBatcherTurn();
      const c = batcher.add(3);
      await afterBatcherTurn();
      vi.advanceTimersByTime(7);
      await afterBatcherTurn();
      expect(fake.calls).toHaveLength(1);
      expect(batcher.waiting).toBe(2);

      vi.advanceTimersByTime(1);
      const second = await fake.called(2);
      expect(second.items).toEqual([2, 3]);
      second.answer(['b', 'c']);
      await expect(Promise.all([b, c])).resolves.toEqual(['b', 'c']);

      // After a quiet spell longer than the spacing, a call is written at once again.
      vi.advanceTimersByTime(25);
      const d = batcher.add(4);
      const third = await fake.called(3);
      expect(third.items).toEqual([4]);
      third.answer(['d']);
      await expect(d).resolves.toBe('d');
    });

    it('starts the calls that wait out the spacing at once when hurried', async () => {
      const fake = new FakeWrite();
      const batcher = new Batcher(fake.write, { maxBatch: 10, concurrency: 1, spacingMs: 10 });

      const a = batcher.add(1);
      const first = await fake.called(1);
      first.answer(['a']);
      await expect(a).resolves.toBe('a');
      const b = batcher.add(2);
      await afterBatcherTurn();
      expect(batcher.waiting).toBe(1);

      // No time passes: the node is closing.
      batcher.hurry();
      const second = await fake.called(2);
      expect(second.items).toEqual([2]);
      second.answer(['b']);
      await expect(b).resolves.toBe('b');
      // The spacing holds again from that write on.
      const c = batcher.add(3);
      await afterBatcherTurn();
      expect(batcher.waiting).toBe(1);
      vi.advanceTimersByTime(10);
      const third = await fake.called(3);
      third.answer(['c']);
      await expect(c).resolves.toBe('c');
    });

    it('counts the spacing from the start of a write: one slower than the spacing delays nothing', async () => {
      const fake = new FakeWrite();
      const batcher = new Batcher(fake.write, { maxBatch: 10, concurrency: 1, spacingMs: 10 });

      const a = batcher.add(1);
      const first = await fake.called(1);
      const b = batcher.add(2);
      await afterBatcherTurn();
      vi.advanceTimersByTime(15);
      first.answer(['a']);
      await expect(a).resolves.toBe('a');

      const second = await fake.called(2);
      expect(second.items).toEqual([2]);
      second.answer(['b']);
      await expect(b).resolves.toBe('b');
    });
  });
});
