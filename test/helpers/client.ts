// A test user: signs up over HTTP like the browser does, then talks over a real socket.

import { io, type Socket } from 'socket.io-client';
import {
  EVENTS_IN_FLIGHT_PER_SOCKET,
  type ClientEventAck,
  type ClientEventName,
  type ClientEventPayload,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionReady,
  type UserSummary,
} from '../../protocol';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let counter = 0;

/** A username no other test uses, e.g. alice_k3x9_1. */
export function uniqueName(base: string): string {
  counter += 1;
  return `${base}_${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}_${counter}`;
}

export const PASSWORD = 'correct horse battery';

export interface Account {
  user: UserSummary;
  cookie: string;
}

export async function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; setCookie: string | null }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    setCookie: response.headers.get('set-cookie'),
  };
}

export function cookieFrom(setCookie: string | null): string {
  if (!setCookie) throw new Error('no Set-Cookie header');
  return setCookie.split(';')[0]!;
}

export async function signUp(baseUrl: string, base = 'user'): Promise<Account> {
  const username = uniqueName(base);
  const response = await postJson(baseUrl, '/api/auth/sign-up', { username, password: PASSWORD });
  if (response.status !== 201) {
    throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return { user: response.body.user as UserSummary, cookie: cookieFrom(response.setCookie) };
}

export interface Connected {
  socket: TestSocket;
  ready: SessionReady;
}

/** Opens a socket with the account's cookie and waits for session:ready. */
export async function connect(
  baseUrl: string,
  account: Pick<Account, 'cookie'>,
  options: { origin?: string; reconnection?: boolean; localAddress?: string } = {},
): Promise<Connected> {
  const socket: TestSocket = io(baseUrl, {
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    extraHeaders: { cookie: account.cookie, ...(options.origin ? { origin: options.origin } : {}) },
    // Passed on to the WebSocket (ws), for tests of limits per address; not in the client's types.
    ...((options.localAddress ? { localAddress: options.localAddress } : {}) as object),
  });
  const ready = await new Promise<SessionReady>((resolve, reject) => {
    socket.once('session:ready', resolve);
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return { socket, ready };
}

/** Emits a client event and resolves with its ack (see `callRaw` on how many go at once). */
export function call<E extends ClientEventName>(
  socket: TestSocket,
  event: E,
  payload: ClientEventPayload<E>,
): Promise<ClientEventAck<E>> {
  return callRaw(socket, event, payload) as Promise<ClientEventAck<E>>;
}

/** Emits anything at all (for hostile inputs) and resolves with whatever the ack carries. */
export function callRaw(socket: TestSocket, event: string, ...args: unknown[]): Promise<unknown> {
  return inTurn(socket, () => emitNow(socket, event, ...args));
}

/**
 * Emits at once, however many are unanswered: for the tests of floods, which the server
 * refuses beyond EVENTS_IN_FLIGHT_PER_SOCKET. Fails at once on a socket that has closed for
 * good (closed, or disconnected with reconnection off), and when the socket disconnects before
 * the answer came: Socket.IO answers an event only on the connection it came on, so no answer
 * can come any more.
 */
export function emitNow(socket: TestSocket, event: string, ...args: unknown[]): Promise<unknown> {
  const isClosedForGood = !socket.active || (!socket.connected && !socket.io.reconnection());
  if (isClosedForGood) {
    return Promise.reject(new Error(`${event} not sent: the socket is closed`));
  }
  const raw = socket as unknown as {
    timeout(ms: number): {
      emit(event: string, ...args: unknown[]): void;
    };
  };
  return new Promise((resolve, reject) => {
    // A socket that is reconnecting keeps the event until it is connected again.
    const isSentNow = socket.connected;
    const onDisconnect = (reason: string) => {
      if (isSentNow) reject(new Error(`${event} unanswered: disconnected (${reason})`));
    };
    socket.once('disconnect', onDisconnect);
    raw.timeout(10_000).emit(event, ...args, (error: Error | null, response: unknown) => {
      socket.off('disconnect', onDisconnect);
      if (error) reject(error);
      else resolve(response);
    });
  });
}

const turns = new WeakMap<TestSocket, { inFlight: number; queue: (() => void)[] }>();

/**
 * Like the app's clients (hooks/client/transport.ts), at most EVENTS_IN_FLIGHT_PER_SOCKET
 * requests of a socket wait for their answer at once; the others wait their turn, in order.
 */
async function inTurn<T>(socket: TestSocket, run: () => Promise<T>): Promise<T> {
  let turn = turns.get(socket);
  if (!turn) turns.set(socket, (turn = { inFlight: 0, queue: [] }));
  if (turn.inFlight < EVENTS_IN_FLIGHT_PER_SOCKET) turn.inFlight++;
  else await new Promise<void>((resolve) => turn.queue.push(resolve));
  try {
    return await run();
  } finally {
    const next = turn.queue.shift();
    if (next) next();
    else turn.inFlight--;
  }
}

/** The next `event` on the socket that matches `predicate`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  predicate: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve) => {
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!predicate(...args)) return;
      (socket as unknown as { off(event: string, fn: unknown): void }).off(event, listener);
      resolve(args[0]);
    };
    (socket as unknown as { on(event: string, fn: unknown): void }).on(event, listener);
  });
}

/**
 * Resolves once `isDone` holds for a store one subscribes to (the app's ChatClient): checked
 * now and after every change.
 */
export function until(
  store: { subscribe(listener: () => void): () => void },
  isDone: () => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!isDone()) return;
      unsubscribe();
      resolve();
    };
    const unsubscribe = store.subscribe(check);
    check();
  });
}
