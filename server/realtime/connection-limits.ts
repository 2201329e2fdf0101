// At most `socketsPerIp` connections from one address and `socketsPerUser` sockets of one
// person at once (each node counts its own). The address counts every Engine.IO connection
// from the moment it opens, whether it ever signs in or not: connections that never send the
// Socket.IO CONNECT are counted too, and closed after SOCKET_CONNECT_TIMEOUT_MS (the server's
// connectTimeout). A connection over either limit is refused with a connect_error whose data
// is { code: "RATE_LIMITED", message, retryAfterMs }; a place is given back when its
// connection closes.

import type { Deps } from '../deps';
import { toAckError } from '../errors';
import { clientAddress } from '../http/client-address';
import type { ParleyIo } from './types';

type Middleware = Parameters<ParleyIo['use']>[0];

/** The Engine.IO connection, as far as counting it needs. */
interface EngineConnection {
  request: { headers: Record<string, string | string[] | undefined> };
  remoteAddress: string;
  write(data: string): unknown;
  close(): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/** Counts every Engine.IO connection against its address from the moment it opens. */
export function limitAddresses(io: ParleyIo, deps: Deps): void {
  io.engine.on('connection', (connection: EngineConnection) => {
    const address = clientAddress(
      connection.request.headers['x-forwarded-for'],
      connection.remoteAddress,
      deps.config.trustProxy,
    );
    try {
      // `on`, not `once`: the release counts once however often it is called, and `once`
      // keeps a wrapper and a bound function per listener, on every idle socket of the node.
      connection.on('close', deps.rateLimits.acquireAddress(address));
    } catch (error) {
      // Refused before anything else is read from it. The client hears why in a Socket.IO
      // CONNECT_ERROR for the main namespace (`4` + its JSON, protocol v5, in an Engine.IO
      // message), as a middleware would answer, and the connection closes once that is sent.
      const { code, message, retryAfterMs } = toAckError(error);
      connection.write(`4${JSON.stringify({ message, data: { code, message, retryAfterMs } })}`);
      connection.close();
    }
  });
}

/** Runs after authentication: it needs socket.data.user. */
export function limitConnections(deps: Deps): Middleware {
  return (socket, next) => {
    try {
      const release = deps.rateLimits.acquireUser(socket.data.user.id);
      // Both, as either can come first; `on` for the reason given in limitAddresses.
      socket.on('disconnect', release);
      socket.conn.on('close', release);
      next();
    } catch (error) {
      const { code, message, retryAfterMs } = toAckError(error);
      next(Object.assign(new Error(message), { data: { code, message, retryAfterMs } }));
    }
  };
}
