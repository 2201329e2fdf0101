// The handshake's last step: at most `socketsPerUser` connections of one person and
// `socketsPerIp` from one address at once (each node counts its own). A connection over either
// limit is refused with a connect_error whose data is { code: "RATE_LIMITED", message,
// retryAfterMs }; its place is given back when it disconnects, or when its transport closes
// before it ever connected.

import type { Deps } from '../deps';
import { toAckError } from '../errors';
import { clientAddress } from '../http/client-address';
import type { ParleyIo } from './types';

type Middleware = Parameters<ParleyIo['use']>[0];

/** Runs after authentication: it needs socket.data.user. */
export function limitConnections(deps: Deps): Middleware {
  return (socket, next) => {
    const address = clientAddress(
      socket.handshake.headers['x-forwarded-for'],
      socket.handshake.address,
      deps.config.trustProxy,
    );
    deps.rateLimits.acquireConnection(socket.data.user.id, address).then(
      (release) => {
        socket.once('disconnect', release);
        socket.conn.once('close', release);
        next();
      },
      (error: unknown) => {
        const { code, message, retryAfterMs } = toAckError(error);
        next(Object.assign(new Error(message), { data: { code, message, retryAfterMs } }));
      },
    );
  };
}
