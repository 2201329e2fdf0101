// Fault injection for the tests. Production code calls these hooks at the few places where a
// test must be able to break or hold up the server; by default there are none. The process entry turns
// the documented switch PARLEY_FAILPOINT into hooks (failpointsFromSwitch); tests that build
// the server in-process pass their own.
//
// crash-after-commit: the process dies by SIGKILL right after a message is committed and
// before its ack is sent, the window in which a client cannot know whether its send landed.
// http-error: a REST request carrying the header `x-parley-failpoint: http-error` fails the way
// a query does, with SQL and its parameters in the error: what must never reach a client.

import { failedQueryError } from '../db';
import type { ClientEventName } from '../protocol';
import type { Config } from './config';

export interface Failpoints {
  /**
   * After a message is committed, before it is acked or broadcast. Throwing NodeDiedError here
   * makes the handler wrapper behave as if the node had died at this point.
   */
  afterMessageCommit?(): void;
  /**
   * Before a socket event's handler runs, after it was admitted and parsed: a test holds
   * handlers open here to see how many run at once.
   */
  beforeEvent?(
    event: ClientEventName,
    socket: { socketId: string; userId: string },
  ): Promise<void> | void;
  /** Before a REST route runs; what it throws is handled like a route's own failure. */
  beforeHttpRoute?(request: Request): void;
  /**
   * Before the push notifications of a message go out (it has offline recipients): a test
   * holds them here to delete the message meanwhile.
   */
  beforePushDispatch?(messageId: number): Promise<void> | void;
}

/**
 * Thrown by a failpoint to stand for the node dying: the handler wrapper neither acks nor runs
 * the effects registered with afterAck, exactly what a killed process would not do.
 */
export class NodeDiedError extends Error {
  constructor() {
    super('failpoint: the node died here');
    this.name = 'NodeDiedError';
  }
}

export const FAILPOINT_HEADER = 'x-parley-failpoint';

/** The hooks for the PARLEY_FAILPOINT switch of a real process. */
export function failpointsFromSwitch(name: Config['failpoint']): Failpoints {
  switch (name) {
    case 'crash-after-commit':
      return { afterMessageCommit: () => process.kill(process.pid, 'SIGKILL') };
    case 'http-error':
      return { beforeHttpRoute: throwIfHttpErrorAsked };
    case undefined:
      return {};
  }
}

/** http-error, for requests that ask for it with the header (the others pass). */
export function throwIfHttpErrorAsked(request: Request): void {
  if (request.headers.get(FAILPOINT_HEADER) !== 'http-error') return;
  throw failedQueryError('select "id" from "sessions" where "token_hash" = $1', [
    'failpoint-secret',
  ]);
}
