// Fault injection for the tests, switched on by PARLEY_FAILPOINT (off by default).
// crash-after-commit: the process dies by SIGKILL right after a message is committed and
// before its ack is sent, the window in which a client cannot know whether its send landed.
// http-error: a REST request carrying the header `x-parley-failpoint: http-error` fails the way
// a query does, with SQL and its parameters in the error: what must never reach a client.

import type { Config } from './config';

export function crashIfFailpoint(
  config: Pick<Config, 'failpoint'>,
  name: 'crash-after-commit',
): void {
  if (config.failpoint === name) process.kill(process.pid, 'SIGKILL');
}

export const FAILPOINT_HEADER = 'x-parley-failpoint';

export function throwIfHttpFailpoint(config: Pick<Config, 'failpoint'>, request: Request): void {
  if (config.failpoint !== 'http-error') return;
  if (request.headers.get(FAILPOINT_HEADER) !== 'http-error') return;
  const error = new Error(
    'Failed query: select "id" from "sessions" where "token_hash" = $1\nparams: failpoint-secret',
  );
  error.name = 'DrizzleQueryError';
  throw error;
}
