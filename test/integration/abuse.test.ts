// Floods against a real server: every event pays from its sender's work budget, a socket has at
// most EVENTS_IN_FLIGHT_PER_SOCKET events in flight, refusals come at once (before any parsing
// or database work), a socket that keeps flooding is cut off only after its events in flight
// are answered, and the log gets one line per socket cut off. Handlers are held open at the
// beforeEvent failpoint, and budgets refill on the server's injected clock: nothing sleeps.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { writeSettings } from '../../db';
import {
  EVENTS_IN_FLIGHT_PER_SOCKET,
  type ClientEventAck,
  type ClientEventName,
  type Settings,
} from '../../protocol';
import { call, connect, emitNow, signUp, type Account, type TestSocket } from '../helpers/client';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { socketUrl } from '../helpers/raw-socket';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { startServer, type TestServer } from '../helpers/server';
import { pair, send, type Suite } from '../helpers/suite';

const suite = { sockets: [] } as unknown as Suite;
/** Small enough that a test spends it in a few dozen events. */
const WORK_BURST = 400;
const WORK_PER_SECOND = 10;

/** The server's time: it moves only when a test moves it. */
const clock = { time: Date.now(), now: () => clock.time };

/**
 * Handlers of the people in `users` wait at the failpoint until released; how many wait at
 * once is counted per socket.
 */
const holding = {
  users: new Set<string>(),
  running: new Map<string, number>(),
  maxRunning: 0,
  released: [] as (() => void)[],
  watchers: new Set<() => void>(),
  hold(socketId: string): Promise<void> {
    const running = (this.running.get(socketId) ?? 0) + 1;
    this.running.set(socketId, running);
    this.maxRunning = Math.max(this.maxRunning, running);
    const waited = new Promise<void>((resolve) =>
      this.released.push(() => {
        this.running.set(socketId, (this.running.get(socketId) ?? 1) - 1);
        resolve();
      }),
    );
    for (const watch of this.watchers) watch();
    return waited;
  },
  /** Resolves once `count` handlers wait. */
  until(count: number): Promise<void> {
    return new Promise((resolve) => {
      const watch = () => {
        if (this.released.length < count) return;
        this.watchers.delete(watch);
        resolve();
      };
      this.watchers.add(watch);
      watch();
    });
  },
  releaseAll(): void {
    this.users.clear();
    for (const release of this.released.splice(0)) release();
  },
};

beforeAll(async () => {
  suite.database = await createTestDatabase();
  suite.server = await startServer({
    ...suite.database.serverOptions,
    clock,
    failpoints: {
      beforeEvent: (_event: ClientEventName, { socketId, userId }) =>
        holding.users.has(userId) ? holding.hold(socketId) : undefined,
    },
    seed: (db) =>
      writeSettings(db, {
        ...GENEROUS_LIMITS,
        workBurst: WORK_BURST,
        workPointsPerSecond: WORK_PER_SECOND,
      }),
  });
});

afterAll(async () => {
  holding.releaseAll();
  for (const socket of suite.sockets) socket.close();
  await suite.server?.stop();
  await suite.database?.drop();
});

/** What an admin does on /admin; applied on this node at once. */
async function setLimits(changes: Partial<Settings>): Promise<void> {
  const { deps } = suite.server.parley;
  await deps.settings.update(deps.db, changes, deps.logger);
}

async function openSockets(account: Account, count: number): Promise<TestSocket[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => (await connect(suite.server.url, account)).socket),
  );
  suite.sockets.push(...sockets);
  return sockets;
}

/** A conversation list asked for at once, however many the socket has in flight. */
function list(socket: TestSocket) {
  return emitNow(socket, 'conversation:list', {}) as Promise<ClientEventAck<'conversation:list'>>;
}

describe('a flood of reads', () => {
  it('is refused at once with RATE_LIMITED and retryAfterMs, runs at most 4 handlers per socket, and leaves other people alone', async () => {
    const flooder = await signUp(suite.server.url, 'flooder');
    const sockets = await openSockets(flooder, 5);
    const bystanders = await pair(suite);
    holding.users.add(flooder.user.id);

    // 20 lists per socket at once: 4 each are taken and held open, the rest refused meanwhile.
    const flood = sockets.map((socket) => Array.from({ length: 20 }, () => list(socket)));
    await holding.until(5 * EVENTS_IN_FLIGHT_PER_SOCKET);
    const refused = await Promise.all(flood.map((acks) => Promise.all(acks.slice(4))));
    for (const ack of refused.flat()) {
      expect(ack).toMatchObject({
        ok: false,
        code: 'RATE_LIMITED',
        message:
          'Too many requests at once on this connection. Wait for the answers, then try again in 1 second.',
        retryAfterMs: expect.any(Number),
      });
    }
    // Someone else's send is answered while the flooder's handlers are still held.
    const sent = await send(bystanders.alice, bystanders.conversationId, 'still here');
    expect(sent.body).toBe('still here');
    expect(holding.maxRunning).toBe(EVENTS_IN_FLIGHT_PER_SOCKET);

    holding.releaseAll();
    const taken = await Promise.all(flood.map((acks) => Promise.all(acks.slice(0, 4))));
    expect(taken.flat().every((ack) => ack.ok)).toBe(true);

    // 20 lists spent 200 of the 400 points; 20 more (10 each) empty the budget.
    const spent = await Promise.all(
      Array.from({ length: 20 }, () => call(sockets[0]!, 'conversation:list', {})),
    );
    expect(spent.every((ack) => ack.ok)).toBe(true);
    const overBudget = await list(sockets[1]!);
    expect(overBudget).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'You are making requests too fast. Try again in 1 second.',
      retryAfterMs: 1_000, // 10 points at 10 a second
    });
    // Cheaper events are refused too, before their payload is even read (this one is invalid).
    expect(await call(sockets[2]!, 'presence:query', { userIds: [] })).toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(await send(bystanders.bob, bystanders.conversationId, 'and me')).toMatchObject({
      body: 'and me',
    });

    clock.time += (overBudget as { retryAfterMs: number }).retryAfterMs;
    expect(await list(sockets[1]!)).toMatchObject({ ok: true });
  });
});

describe('the pages that come with a conversation list', () => {
  it('are paid for one by one from the work budget, and left out once it is spent', async () => {
    const reader = await signUp(suite.server.url, 'catcher');
    const [socket] = await openSockets(reader, 1);
    const ids: string[] = [];
    for (const base of ['first', 'second', 'third']) {
      const writer = await signUp(suite.server.url, base);
      const [writerSocket] = await openSockets(writer, 1);
      const started = await call(writerSocket!, 'conversation:start', {
        username: reader.user.username,
      });
      if (!started.ok) throw new Error(started.message);
      ids.push(started.conversation.id);
      const sent = await call(writerSocket!, 'message:send', {
        conversationId: started.conversation.id,
        clientMsgId: randomUUID(),
        body: 'news',
      });
      expect(sent.ok).toBe(true);
    }
    // 77 history pages of 5 leave 15 of the 400: the list's 10 and one page of 5.
    for (let index = 0; index < 77; index++) {
      await call(socket!, 'message:history', { conversationId: randomUUID() });
    }
    const cursors = ids.map((conversationId) => ({ conversationId, afterSeq: 0 }));
    const listed = await call(socket!, 'conversation:list', { cursors });
    expect(listed.ok && listed.conversations).toHaveLength(3);
    expect(listed.ok && listed.pages?.map((page) => page.conversationId)).toEqual([ids[2]]);
  });
});

describe('a socket that keeps flooding', () => {
  it('is logged once, with the count, however many events it was refused', async () => {
    const flooder = await signUp(suite.server.url, 'noisy');
    const [socket] = await openSockets(flooder, 1);
    holding.users.add(flooder.user.id);
    const disconnected = new Promise<string>((resolve) => socket!.once('disconnect', resolve));
    const acks = Array.from({ length: 200 }, () => list(socket!));
    await holding.until(EVENTS_IN_FLIGHT_PER_SOCKET);
    const refused = await Promise.all(acks.slice(EVENTS_IN_FLIGHT_PER_SOCKET));
    expect(refused.every((ack) => !ack.ok && ack.code === 'RATE_LIMITED')).toBe(true);
    holding.releaseAll();
    expect(await disconnected).toBe('io server disconnect');

    const lines = suite.server.logs.filter((entry) => entry.userId === flooder.user.id);
    const cutOff = lines.filter((entry) => entry.event === 'rate-limit.abuse-disconnect');
    expect(cutOff).toEqual([
      expect.objectContaining({ refused: 196, limiters: { 'in-flight': 196 } }),
    ]);
    // Besides it, one line per limiter and window, whatever the flood.
    expect(lines.filter((entry) => entry.event === 'rate-limit.hit')).toHaveLength(1);
  });
});

describe('cutting a flooding socket off', () => {
  it('answers every event it already had in flight, then disconnects it', async () => {
    const creator = await signUp(suite.server.url, 'creator');
    const friend = await signUp(suite.server.url, 'friend');
    const [socket, otherTab] = await openSockets(creator, 2);
    holding.users.add(creator.user.id);
    const disconnected = new Promise<string>((resolve) => socket!.once('disconnect', resolve));
    let isDisconnected = false;
    void disconnected.then(() => (isDisconnected = true));

    const titles = Array.from({ length: EVENTS_IN_FLIGHT_PER_SOCKET }, (_, index) => `G${index}`);
    const creates = titles.map(
      (title) =>
        emitNow(socket!, 'group:create', {
          title,
          usernames: [friend.user.username],
          clientRequestId: randomUUID(),
        }) as Promise<ClientEventAck<'group:create'>>,
    );
    await holding.until(titles.length);
    // Enough refusals to cut the socket off while its groups are still being created.
    const refused = await Promise.all(Array.from({ length: 60 }, () => list(socket!)));
    expect(refused.every((ack) => !ack.ok && ack.code === 'RATE_LIMITED')).toBe(true);
    expect(refused.at(-1)).toMatchObject({ message: expect.stringMatching(/being closed/) });
    expect(isDisconnected).toBe(false);

    holding.releaseAll();
    const created = await Promise.all(creates);
    expect(await disconnected).toBe('io server disconnect');
    expect(created.every((ack) => ack.ok)).toBe(true);
    const groups = await call(otherTab!, 'conversation:list', {});
    expect(groups.ok && groups.conversations.map((item) => item.title).sort()).toEqual(titles);
  });
});

describe('connections that never sign in', () => {
  /** A server that closes them after 200 ms instead of the default 10 s. */
  const quick = {} as { server: TestServer; database: TestDatabase };
  beforeAll(async () => {
    quick.database = await createTestDatabase();
    quick.server = await startServer({
      ...quick.database.serverOptions,
      env: { SOCKET_CONNECT_TIMEOUT_MS: '200' },
    });
  });
  afterAll(async () => {
    await quick.server?.stop();
    await quick.database?.drop();
  });

  /** Opens the Engine.IO transport from `localAddress` and never joins: no CONNECT, no cookie. */
  function openSilent(localAddress: string) {
    const ws = new WebSocket(socketUrl(suite.server.url), { localAddress });
    ws.on('error', () => {});
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('message', () => resolve()); // the Engine.IO handshake, `0{"sid",…}`
      void closed.then(() => reject(new Error('closed before the handshake')));
    });
    suite.sockets.push({ close: () => ws.terminate() } as unknown as TestSocket);
    return { opened, closed };
  }

  it('count against the connections per address, so one more is refused', async () => {
    const address = '127.0.0.91';
    await setLimits({ socketsPerIp: 3 });
    const silent = Array.from({ length: 3 }, () => openSilent(address));
    await Promise.all(silent.map((connection) => connection.opened));
    const account = await signUp(suite.server.url, 'late');
    const refused = await connect(suite.server.url, account, { localAddress: address }).then(
      () => undefined,
      (error: Error & { data?: unknown }) => error,
    );
    expect(refused).toMatchObject({
      message: 'Too many connections from your network: at most 3 at once. Try again later.',
      data: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) },
    });
    // Back to the suite's limit for the tests after this one.
    await setLimits({ socketsPerIp: GENEROUS_LIMITS.socketsPerIp });
  });

  it('are closed by the server after SOCKET_CONNECT_TIMEOUT_MS', async () => {
    const server = quick.server;
    const ws = new WebSocket(socketUrl(server.url));
    ws.on('error', () => {});
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await new Promise((resolve) => ws.once('message', resolve)); // the Engine.IO handshake
    await closed; // by the server: this test never closes it
  }, 10_000); // the server waited 45 s before
});
