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
import { PresenceTracker } from './presence';
import { stopTypingOnDisconnect } from './typing';
import { handlers } from './handlers';
import { sessionRoom, userRoom } from './rooms';
import type { ParleyIo } from './types';

export interface Realtime {
  io: ParleyIo;
  /** Disconnects every socket of a session, on every node (sign-out). */
  disconnectSession(sessionId: string): void;
  /** Tells every connected client the limits it must check input against. */
  broadcastLimits(): void;
  /** Tells the other nodes to reload the settings (a no-op on a single node). */
  announceSettingsChanged(): void;
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

  const presence = new PresenceTracker(io, deps, deps.config.presenceGraceMs);
  const logFailure = (event: string) => (error: unknown) =>
    deps.logger.error({ event, err: safeError(error) }, 'connection bookkeeping failed');

  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    void socket.join([userRoom(user.id), sessionRoom(sessionId)]);
    registerHandlers({ io, presence, deps }, socket, handlers);
    socket.emit(ServerEvent.SessionReady, {
      user: { id: user.id, username: user.username },
      isAdmin: user.role === 'admin',
      limits: clientLimits(deps),
    });
    presence.onConnect(user.id).catch(logFailure('presence.connect-failed'));
    socket.on('disconnect', () => {
      stopTypingOnDisconnect(deps, io, socket).catch(logFailure('typing.disconnect-failed'));
      presence.onDisconnect(user.id).catch(logFailure('presence.disconnect-failed'));
    });
  });

  return {
    io,
    disconnectSession: (sessionId) => {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    broadcastLimits: () => {
      io.emit(ServerEvent.SettingsUpdated, { limits: clientLimits(deps) });
    },
    announceSettingsChanged: () => {
      // One node, one settings store: already up to date. (Several nodes: see REDIS_URL.)
    },
    close: () => {
      presence.stop();
      return new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
    },
  };
}

function clientLimits(deps: Deps) {
  return { maxMessageLength: deps.settings.current.maxMessageLength };
}
