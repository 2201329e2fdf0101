// The one wrapper every socket event goes through: find the ack, parse the payload with the
// event's zod schema, run the handler, answer { ok: true, ... } or { ok: false, code, message }.
// Socket.IO catches nothing for us; this does, so no handler can crash the process.

import {
  ClientEvent,
  clientEventSchemas,
  describeZodError,
  ErrorCode,
  type AckError,
  type ClientEventInput,
  type ClientEventName,
  type ClientEventResults,
} from '../../protocol';
import type { Deps } from '../deps';
import { AppError, toAckError } from '../errors';
import { NodeDiedError } from '../failpoints';
import { safeError } from '../logger';
import type { PushNotifier } from '../push/push-notifier';
import {
  ABUSE_REJECTIONS,
  ABUSE_WINDOW_SECONDS,
  type EventLimiterName,
} from '../rate-limit/rate-limits';
import type { InFlightWork } from './in-flight';
import type { PresenceTracker } from './presence';
import type { ReceiptBroadcaster } from './receipts';
import type { ParleyIo, ParleySocket, SocketData } from './types';

/** What a handler gets: the node's services, and the socket and session it serves. */
export interface HandlerContext extends Omit<HandlerEnv, 'inFlight'> {
  socket: ParleySocket;
  session: SocketData;
  /** Runs after a successful ack: broadcasts go here, so they always follow the commit. */
  afterAck(effect: () => void): void;
}

export type EventHandler<E extends ClientEventName> = (
  ctx: HandlerContext,
  input: ClientEventInput<E>,
) => Promise<ClientEventResults[E]>;

export type HandlerMap = { [E in ClientEventName]: EventHandler<E> };

type AckFn = (response: unknown) => void;

const KNOWN_EVENTS = new Set<string>(Object.keys(clientEventSchemas));

/** The events that count against a per-user rate limit (one point each); others are free. */
const EVENT_LIMITERS: Partial<Record<ClientEventName, EventLimiterName>> = {
  [ClientEvent.MessageSend]: 'message',
  [ClientEvent.TypingStart]: 'typing',
  [ClientEvent.TypingStop]: 'typing',
  [ClientEvent.ConversationStart]: 'conversation',
  [ClientEvent.GroupCreate]: 'group',
};

export interface HandlerEnv {
  io: ParleyIo;
  presence: PresenceTracker;
  push: PushNotifier;
  receipts: ReceiptBroadcaster;
  deps: Deps;
  inFlight: InFlightWork;
}

export function registerHandlers(
  env: HandlerEnv,
  socket: ParleySocket,
  handlers: HandlerMap,
): void {
  const { deps } = env;
  // The typed socket only knows the contract; the wrapper must also see what is outside it.
  const raw = socket as unknown as {
    on(event: string, listener: (...args: unknown[]) => void): void;
    onAny(listener: (event: string, ...args: unknown[]) => void): void;
  };
  for (const event of KNOWN_EVENTS as Set<ClientEventName>) {
    raw.on(event, (...args) => {
      void dispatch(event, args, { ...env, socket, handler: handlers[event] });
    });
  }
  raw.onAny((event, ...args) => {
    if (KNOWN_EVENTS.has(event)) return;
    const ack = args.at(-1);
    deps.logger.info(
      { event: 'socket.unknown-event', userId: socket.data.user.id },
      'unknown event',
    );
    deps.metrics.eventErrors.inc({ event: 'unknown', code: ErrorCode.UnknownEvent });
    if (typeof ack === 'function') {
      reply(ack as AckFn, {
        ok: false,
        code: ErrorCode.UnknownEvent,
        message: `Unknown event “${String(event).slice(0, 64)}”.`,
      });
    }
  });
}

async function dispatch<E extends ClientEventName>(
  event: E,
  args: unknown[],
  env: HandlerEnv & { socket: ParleySocket; handler: EventHandler<E> },
): Promise<void> {
  const done = env.inFlight.start();
  const startedAt = performance.now();
  try {
    await handle(event, args, env, startedAt);
  } finally {
    done();
  }
}

async function handle<E extends ClientEventName>(
  event: E,
  args: unknown[],
  env: HandlerEnv & { socket: ParleySocket; handler: EventHandler<E> },
  startedAt: number,
): Promise<void> {
  const { deps, socket } = env;
  const last = args.at(-1);
  if (typeof last !== 'function') {
    // Without an ack there is nobody to tell about success or failure: refuse to act.
    deps.logger.info(
      { event: 'socket.missing-ack', name: event, userId: socket.data.user.id },
      'event without ack ignored',
    );
    return;
  }
  const ack = last as AckFn;
  const answer = (response: ({ ok: true } & object) | AckError) => {
    reply(ack, response);
    deps.metrics.ackLatency.observe({ event }, (performance.now() - startedAt) / 1000);
    if (!response.ok) deps.metrics.eventErrors.inc({ event, code: response.code });
  };
  if (args.length !== 2) {
    answer({
      ok: false,
      code: ErrorCode.BadRequest,
      message: `“${event}” takes exactly one payload object and an ack.`,
    });
    return;
  }
  const limiter = EVENT_LIMITERS[event];
  if (limiter) {
    // Before parsing: a flood is refused whatever it carries.
    try {
      await deps.rateLimits.consumeEvent(limiter, socket.data.user.id);
    } catch (error) {
      answer(toAckError(error));
      await disconnectIfAbusive(deps, socket, limiter);
      return;
    }
  }
  const parsed = clientEventSchemas[event].safeParse(args[0]);
  if (!parsed.success) {
    deps.logger.info(
      { event: 'socket.invalid-payload', name: event, userId: socket.data.user.id },
      'invalid payload',
    );
    answer({ ok: false, code: ErrorCode.BadRequest, ...describeZodError(parsed.error) });
    return;
  }
  const effects: (() => void)[] = [];
  const { handler, inFlight: _inFlight, ...services } = env;
  try {
    const result = await handler(
      {
        ...services,
        session: socket.data,
        afterAck: (effect) => effects.push(effect),
      },
      parsed.data as ClientEventInput<E>,
    );
    answer({ ok: true, ...result });
  } catch (error) {
    // A failpoint stands in for a crash here: a dead node answers nothing and sends nothing.
    if (error instanceof NodeDiedError) {
      deps.logger.warn({ event: 'failpoint.node-died', name: event }, error.message);
      return;
    }
    if (!(error instanceof AppError)) {
      deps.logger.error(
        {
          event: 'socket.handler-failed',
          name: event,
          userId: socket.data.user.id,
          err: safeError(error),
        },
        'event handler failed',
      );
    }
    answer(toAckError(error));
    return;
  }
  for (const effect of effects) {
    try {
      effect();
    } catch (error) {
      deps.logger.error(
        { event: 'socket.effect-failed', name: event, err: safeError(error) },
        'broadcast failed',
      );
    }
  }
}

/**
 * A client that keeps sending while it is told to wait is not one of ours (they wait for
 * retryAfterMs): after ABUSE_REJECTIONS refusals within ABUSE_WINDOW_SECONDS, it is cut off.
 */
async function disconnectIfAbusive(
  deps: Deps,
  socket: ParleySocket,
  limiter: EventLimiterName,
): Promise<void> {
  if (!socket.connected || !(await deps.rateLimits.isAbusive(socket.id))) return;
  deps.metrics.rateLimitDisconnects.inc();
  deps.logger.warn(
    { event: 'rate-limit.abuse-disconnect', limiter, userId: socket.data.user.id },
    `socket disconnected: ${ABUSE_REJECTIONS} rate-limited requests within ${ABUSE_WINDOW_SECONDS} s`,
  );
  socket.disconnect(true);
}

function reply(ack: AckFn, response: ({ ok: true } & object) | AckError): void {
  try {
    ack(response);
  } catch {
    // The client is gone; it will sync on reconnect.
  }
}
