// The one wrapper every socket event goes through: admit it (EventGate: a place among the
// socket's events in flight and its price from the work budget), find the ack, parse the
// payload with the event's zod schema, run the handler, answer { ok: true, ... } or
// { ok: false, code, message }. A delivery report may come without an ack: it is charged,
// parsed and queued per socket instead (./unanswered-reports.ts), and answers nobody.
// Socket.IO catches nothing for us; this does, so no handler can crash the process.

import {
  ClientEvent,
  clientEventSchemas,
  describeZodError,
  ErrorCode,
  isAckOptional,
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
import type { EventLimiterName } from '../rate-limit/rate-limits';
import { nextArrival } from './arrival';
import { EventGate } from './event-gate';
import type { InFlightWork } from '../lib/in-flight';
import type { PresenceTracker } from './presence';
import type { ReceiptBroadcaster } from './receipts';
import { UnansweredReports } from './unanswered-reports';
import type { ParleyIo, ParleySocket, SocketData } from './types';

/** What a handler gets: the node's services, and the socket and session it serves. */
export interface HandlerContext extends Omit<HandlerEnv, 'inFlight'> {
  socket: ParleySocket;
  session: SocketData;
  /** Runs after a successful ack: broadcasts go here, so they always follow the commit. */
  afterAck(effect: () => void): void;
  /** This event's place among its socket's events, in the order they arrived (./arrival.ts). */
  arrival: number;
}

export type EventHandler<E extends ClientEventName> = (
  ctx: HandlerContext,
  input: ClientEventInput<E>,
) => Promise<ClientEventResults[E]>;

export type HandlerMap = { [E in ClientEventName]: EventHandler<E> };

type AckFn = (response: unknown) => void;

const KNOWN_EVENTS = new Set<string>(Object.keys(clientEventSchemas));

/**
 * The events that also count against a per-user limit of their kind (one point each), on top
 * of the work budget every event spends from (EVENT_WORK in event-gate.ts).
 */
const EVENT_LIMITERS: Partial<Record<ClientEventName, EventLimiterName>> = {
  [ClientEvent.MessageSend]: 'message',
  [ClientEvent.TypingStart]: 'typing',
  [ClientEvent.TypingStop]: 'typing',
  [ClientEvent.ConversationStart]: 'conversation',
  [ClientEvent.GroupCreate]: 'group',
  // Joining through a link is a new chat, like starting one.
  [ClientEvent.GroupJoin]: 'conversation',
  [ClientEvent.MessageSearch]: 'search',
  [ClientEvent.PeopleSearch]: 'search',
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
  const gate = new EventGate(deps, socket);
  // Made at the first report sent without an ack: most sockets never send one.
  let reports: UnansweredReports | undefined;
  // The typed socket only knows the contract; the wrapper must also see what is outside it.
  const raw = socket as unknown as {
    onAny(listener: (event: string, ...args: unknown[]) => void): void;
  };
  // One listener for every event, not one per event: a socket that waits idle costs less (a
  // node holds tens of thousands). Socket.IO calls it with each event as it arrives, in order.
  raw.onAny((event, ...args) => {
    if (KNOWN_EVENTS.has(event)) {
      const known = event as ClientEventName;
      // Written out: an object made by a spread is slow to extend in Node 20's V8 (about 2 µs
      // per property added; docs/performance.md), and this runs for every event.
      const dispatchEnv = {
        io: env.io,
        presence: env.presence,
        push: env.push,
        receipts: env.receipts,
        deps: env.deps,
        inFlight: env.inFlight,
        socket,
        gate,
        handler: handlers[known],
      };
      if (isAckOptional(known) && typeof args.at(-1) !== 'function') {
        reports ??= new UnansweredReports((report) => runUnanswered(known, report, dispatchEnv));
        acceptUnanswered(known, args, dispatchEnv, reports);
        return;
      }
      dispatch(known, args, dispatchEnv);
      return;
    }
    const ack = args.at(-1);
    const admission = gate.admit(undefined);
    if (!admission.ok) {
      if (typeof ack === 'function') reply(ack as AckFn, toAckError(admission.error));
      return;
    }
    admission.release();
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

type DispatchEnv<E extends ClientEventName> = HandlerEnv & {
  socket: ParleySocket;
  gate: EventGate;
  handler: EventHandler<E>;
};

/** Admits the event at once, before anything is parsed or read: a flood queues nothing. */
function dispatch<E extends ClientEventName>(event: E, args: unknown[], env: DispatchEnv<E>): void {
  const startedAt = performance.now();
  const arrival = nextArrival(env.socket);
  const admission = env.gate.admit(event);
  if (!admission.ok) {
    const ack = args.at(-1);
    if (typeof ack === 'function') {
      const response = toAckError(admission.error);
      reply(ack as AckFn, response);
      env.deps.metrics.eventErrors.inc({ event, code: response.code });
    }
    return;
  }
  const done = env.inFlight.start();
  void handle(event, args, env, startedAt, arrival).finally(() => {
    done();
    admission.release();
  });
}

async function handle<E extends ClientEventName>(
  event: E,
  args: unknown[],
  env: DispatchEnv<E>,
  startedAt: number,
  arrival: number,
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
      if (error instanceof AppError && error.code === ErrorCode.RateLimited) {
        env.gate.refused(limiter);
      }
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
  const outcome = await run(event, parsed.data as ClientEventInput<E>, env, arrival);
  if (!outcome) return;
  answer(outcome.response);
  runEffects(event, outcome.effects, deps);
}

/**
 * Runs an event's handler on its parsed input: its answer, and the effects it queued for after
 * the answer (broadcasts); undefined when a failpoint stood in for a crash (a dead node answers
 * nothing and sends nothing). Never throws.
 */
async function run<E extends ClientEventName>(
  event: E,
  input: ClientEventInput<E>,
  env: DispatchEnv<E>,
  arrival: number,
): Promise<{ response: ({ ok: true } & object) | AckError; effects: (() => void)[] } | undefined> {
  const { deps, socket } = env;
  const effects: (() => void)[] = [];
  try {
    await deps.failpoints.beforeEvent?.(event, {
      socketId: socket.id,
      userId: socket.data.user.id,
    });
    const result = await env.handler(
      {
        io: env.io,
        presence: env.presence,
        push: env.push,
        receipts: env.receipts,
        deps,
        socket,
        session: socket.data,
        afterAck: (effect) => effects.push(effect),
        arrival,
      },
      input,
    );
    return { response: { ok: true, ...result }, effects };
  } catch (error) {
    // A failpoint stands in for a crash here: a dead node answers nothing and sends nothing.
    if (error instanceof NodeDiedError) {
      deps.logger.warn({ event: 'failpoint.node-died', name: event }, error.message);
      return undefined;
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
    return { response: toAckError(error), effects: [] };
  }
}

/** What a successful handler queued for after its answer; one that fails is logged. */
function runEffects(event: ClientEventName, effects: (() => void)[], deps: Deps): void {
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
 * A report sent without an ack (ACK_OPTIONAL_EVENTS): checked and charged as it arrives, then
 * merged into the socket's queue of reports (./unanswered-reports.ts). Whatever is wrong with
 * it is logged and counted; there is nobody to tell.
 */
function acceptUnanswered<E extends ClientEventName>(
  event: E,
  args: unknown[],
  env: DispatchEnv<E>,
  reports: UnansweredReports,
): void {
  const { deps, socket } = env;
  const refusal = env.gate.spend(event);
  if (refusal) {
    deps.metrics.eventErrors.inc({ event, code: refusal.code });
    return;
  }
  const parsed = args.length === 1 ? clientEventSchemas[event].safeParse(args[0]) : undefined;
  if (!parsed?.success) {
    deps.logger.info(
      { event: 'socket.invalid-payload', name: event, userId: socket.data.user.id },
      'invalid payload',
    );
    deps.metrics.eventErrors.inc({ event, code: ErrorCode.BadRequest });
    return;
  }
  reports.add(parsed.data as { conversationId: string; seq: number });
}

/** Writes one merged report of the queue, as a report with an ack would be, and answers nobody. */
async function runUnanswered<E extends ClientEventName>(
  event: E,
  input: { conversationId: string; seq: number },
  env: DispatchEnv<E>,
): Promise<void> {
  const startedAt = performance.now();
  const done = env.inFlight.start();
  try {
    const outcome = await run(event, input as ClientEventInput<E>, env, nextArrival(env.socket));
    if (!outcome) return;
    env.deps.metrics.ackLatency.observe({ event }, (performance.now() - startedAt) / 1000);
    if (!outcome.response.ok) {
      env.deps.metrics.eventErrors.inc({ event, code: outcome.response.code });
    }
    runEffects(event, outcome.effects, env.deps);
  } finally {
    done();
  }
}

function reply(ack: AckFn, response: ({ ok: true } & object) | AckError): void {
  try {
    ack(response);
  } catch {
    // The client is gone; it will sync on reconnect.
  }
}
