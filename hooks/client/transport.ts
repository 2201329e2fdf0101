// The chat client's connection to the server: owns the socket.io-client socket, sends typed
// requests that always resolve (with the ack, or TIMEOUT), passes server events on, and
// reports connection changes. It knows nothing of conversations or messages.

import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  ErrorCode,
  EVENTS_IN_FLIGHT_PER_SOCKET,
  type AckOptionalEventName,
  type ClientEventAck,
  type ClientEventName,
  type ClientEventPayload,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../protocol';
import type { ConnectionState } from '../chat-state';

/** A request that never got an answer: the connection dropped or the server was too slow. */
export interface TransportFailure {
  ok: false;
  code: 'TIMEOUT';
  message: string;
}

export type RequestResult<E extends ClientEventName> = ClientEventAck<E> | TransportFailure;

/** Sends one client event and resolves with its ack; never rejects. */
export type Request = <E extends ClientEventName>(
  event: E,
  payload: ClientEventPayload<E>,
) => Promise<RequestResult<E>>;

/**
 * Sends one event that needs no answer (ACK_OPTIONAL_EVENTS) without an ack, now, if the
 * socket is connected; false when it is not (nothing is sent, nor kept for later).
 */
export type Notify = <E extends AckOptionalEventName>(
  event: E,
  payload: ClientEventPayload<E>,
) => boolean;

/** The notify function over any socket.io-client socket (the benchmark's bare ones too). */
export function notifyOver(socket: Socket): Notify {
  return (event, payload) => {
    if (!socket.connected) return false;
    socket.emit(event, payload);
    return true;
  };
}

export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * A handshake refused for too many connections, without a named wait, is tried again after
 * about this long.
 */
const REFUSED_RETRY_MS = 15_000;

/**
 * The request function over any socket.io-client socket (the benchmark's bare ones too): the
 * ack, or TIMEOUT when none comes within `timeoutMs` (or the connection drops meanwhile). At
 * most EVENTS_IN_FLIGHT_PER_SOCKET requests wait for their answer at once, as the server
 * demands; the others wait their turn here, in order, and their timeout starts when they go.
 */
export function requestOver(
  socket: { timeout(ms: number): unknown },
  timeoutMs = REQUEST_TIMEOUT_MS,
): Request {
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const emit: Request = (event, payload) => {
    // socket.io-client's types cannot express "the ack of event E" through timeout().
    const timed = socket.timeout(timeoutMs) as {
      emit(
        name: string,
        data: unknown,
        ack: (error: Error | null, response: unknown) => void,
      ): void;
    };
    return new Promise((resolve) => {
      timed.emit(event, payload, (error, response) => {
        resolve(
          error
            ? { ok: false, code: 'TIMEOUT', message: 'The server did not answer in time.' }
            : (response as ClientEventAck<typeof event>),
        );
      });
    });
  };
  return async (event, payload) => {
    if (inFlight < EVENTS_IN_FLIGHT_PER_SOCKET) inFlight++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await emit(event, payload);
    } finally {
      // The place goes straight to the next in line, or is given back.
      const next = queue.shift();
      if (next) next();
      else inFlight--;
    }
  };
}

/**
 * When to try again a handshake the server's middleware refused (socket.io never retries one):
 * for too many connections open (tabs, devices), after the wait the server named plus up to
 * half of it, so that refused tabs do not come back together; for anything else (the server
 * could not check the session now), after socket.io's reconnection delay doubled per refusal
 * in a row, capped, with its jitter.
 */
function refusedRetryDelay(
  socket: Socket,
  refusedInARow: number,
  refusal: { code?: string; retryAfterMs?: number } | undefined,
): number {
  if (refusal?.code === ErrorCode.RateLimited) {
    return (refusal.retryAfterMs ?? REFUSED_RETRY_MS) * (1 + Math.random() / 2);
  }
  const manager = socket.io;
  const base = manager.reconnectionDelay() * 2 ** Math.min(refusedInARow, 16);
  const capped = Math.min(base, manager.reconnectionDelayMax());
  return (
    capped * (1 - manager.randomizationFactor() / 2 + Math.random() * manager.randomizationFactor())
  );
}

/** What `comeBackFromRefusals` asks of the client that owns the socket. */
export interface ComingBack {
  /** Whether the client still wants to be connected (to come back at all). */
  isWanted(): boolean;
  /** The server refused the session itself: trying again will not change that. */
  onUnauthenticated(): void;
  /** A connection failed and another try will come (socket.io's, or this one's). */
  onRetrying(): void;
}

/**
 * Comes back from what socket.io never retries by itself: a handshake its middleware refused
 * (after refusedRetryDelay), and a disconnect by the server (at once: connecting tells whether
 * the session still stands). The app's transport and the bench's clients both come back by it.
 * Returns what cancels a try that waits.
 */
export function comeBackFromRefusals(socket: Socket, client: ComingBack): () => void {
  let refusedInARow = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  socket.on('connect', () => {
    refusedInARow = 0;
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect' && client.isWanted()) socket.connect();
  });
  socket.on('connect_error', (error) => {
    const data = (error as Error & { data?: { code?: string; retryAfterMs?: number } }).data;
    if (data?.code === ErrorCode.Unauthenticated) {
      client.onUnauthenticated();
      return;
    }
    // A connection that failed (refused, dropped, timed out) stays active: socket.io retries
    // it. A handshake a middleware refused does not.
    if (!socket.active) {
      const delay = refusedRetryDelay(socket, refusedInARow, data);
      refusedInARow++;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        if (client.isWanted() && !socket.connected) socket.connect();
      }, delay);
    }
    client.onRetrying();
  });
  return () => clearTimeout(timer);
}

export interface ConnectionStatus {
  connection: ConnectionState;
  /** The server ended this session (signed out elsewhere, expired, another account). */
  isSessionEnded: boolean;
}

export interface TransportOptions {
  /** Server URL; the page's own origin when omitted. */
  url?: string;
  /** Extra socket.io-client options (a non-browser client passes its cookie here). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  requestTimeoutMs?: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEventName = keyof ServerToClientEvents;

export class Transport {
  readonly request: Request;
  readonly notify: Notify;
  private readonly socket: ClientSocket;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  /** Cancels a refused handshake's next try. */
  private readonly cancelComingBack: () => void;
  private isOpen = false;
  private isSessionEnded = false;

  constructor(options: TransportOptions = {}) {
    // Exponential backoff with jitter (randomizationFactor), capped, so that a restarted
    // server is not hit by every client in the same second.
    this.socket = io(options.url ?? '', {
      autoConnect: false,
      withCredentials: true,
      // WebSocket straight away, long-polling only when it cannot open. The default order
      // (polling, then an upgrade) can leave a connection that died mid-upgrade looking open
      // until the heartbeat gives up (45 s), and costs extra requests on every connect.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
      ...options.socketOptions,
    });
    this.request = requestOver(this.socket, options.requestTimeoutMs);
    this.notify = notifyOver(this.socket);
    this.socket.on('connect', () => this.report('online'));
    this.socket.on('disconnect', () => this.report(this.socket.active ? 'connecting' : 'offline'));
    this.cancelComingBack = comeBackFromRefusals(this.socket, {
      isWanted: () => this.isOpen && !this.isSessionEnded,
      onUnauthenticated: () => this.endSession(),
      onRetrying: () => this.report('connecting'),
    });
  }

  get isConnected(): boolean {
    return this.socket.connected;
  }

  /** Passes one server event on; the listener gets its payload as the contract types it. */
  on<E extends ServerEventName>(event: E, listener: ServerToClientEvents[E]): void {
    // The typed socket cannot relate a generic event name to its listener.
    const untyped = this.socket as unknown as {
      on(event: string, listener: ServerToClientEvents[E]): void;
    };
    untyped.on(event, listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Connects now, or when the network returns; follows the browser's online and offline. */
  open(): void {
    this.isOpen = true;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.report('offline');
      return;
    }
    this.socket.connect();
  }

  close(): void {
    this.isOpen = false;
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
    this.cancelComingBack();
    this.socket.disconnect();
  }

  /** The session is over: nothing more may be sent or received as this user. */
  endSession(): void {
    this.isSessionEnded = true;
    this.socket.disconnect();
    this.report('offline');
  }

  /** Closes the connection as a network failure would; it reconnects by itself. */
  drop(): void {
    this.socket.io.engine?.close();
  }

  private readonly onOnline = () => {
    if (this.isOpen && !this.isSessionEnded && !this.socket.connected) {
      this.report('connecting');
      this.socket.connect();
    }
  };

  private readonly onOffline = () => {
    this.socket.disconnect();
    this.report('offline');
  };

  private report(connection: ConnectionState): void {
    const status = { connection, isSessionEnded: this.isSessionEnded };
    for (const listener of this.statusListeners) listener(status);
  }
}
