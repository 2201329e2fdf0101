// Socket.IO on the app's HTTP server: origin check and session authentication at the
// handshake, then one room per user and per session, and the handlers.

import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { ErrorCode, ServerEvent, SOCKET_MAX_FRAME_BYTES } from '../../protocol';
import { authenticateToken } from '../auth/sessions';
import type { Deps } from '../deps';
import { readSessionToken } from '../http/session-cookie';
import { isOriginAllowed } from '../http/origin';
import { safeError } from '../logger';
import { registerHandlers } from './handler';
import { handlers } from './handlers';
import { sessionRoom, userRoom } from './rooms';
import type { ParleyIo } from './types';

export interface Realtime {
  io: ParleyIo;
  /** Disconnects every socket of a session, on every node (sign-out). */
  disconnectSession(sessionId: string): void;
  close(): Promise<void>;
}

export function createRealtime(
  httpServer: HttpServer,
  deps: Deps,
  options: { passThroughUpgrades: boolean },
): Realtime {
  const io: ParleyIo = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: SOCKET_MAX_FRAME_BYTES,
    // In development Next's hot reload needs the other WebSocket upgrades.
    destroyUpgrade: !options.passThroughUpgrades,
    allowRequest: (request, callback) => {
      const allowed = isOriginAllowed(request.headers.origin, request.headers.host, deps.config);
      if (!allowed) {
        deps.logger.info(
          { event: 'socket.origin-refused' },
          'socket handshake from a foreign origin refused',
        );
      }
      callback(allowed ? null : 'Origin not allowed', allowed);
    },
  });

  io.use((socket, next) => {
    authenticateToken(deps, readSessionToken(socket.request.headers.cookie))
      .then((session) => {
        if (!session) {
          next(
            Object.assign(new Error('Not signed in.'), {
              data: { code: ErrorCode.Unauthenticated, message: 'Not signed in.' },
            }),
          );
          return;
        }
        socket.data = session;
        next();
      })
      .catch((error: unknown) => {
        deps.logger.error(
          { event: 'socket.auth-failed', err: safeError(error) },
          'socket authentication failed',
        );
        next(
          Object.assign(new Error('Could not check the session.'), {
            data: { code: ErrorCode.Internal, message: 'Could not check the session. Retrying.' },
          }),
        );
      });
  });

  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    void socket.join([userRoom(user.id), sessionRoom(sessionId)]);
    registerHandlers(io, socket, handlers, deps);
    socket.emit(ServerEvent.SessionReady, {
      user: { id: user.id, username: user.username },
      limits: { maxMessageLength: deps.settings.current.maxMessageLength },
    });
  });

  return {
    io,
    disconnectSession: (sessionId) => {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => resolve());
      }),
  };
}
