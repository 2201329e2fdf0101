// Socket.IO on the app's HTTP server: origin check and session authentication at the
// handshake, one room per user and per session, the handlers, and, with Redis, the adapter
// that carries broadcasts, room queries and settings changes to every node.

import type { Server as HttpServer } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import { ErrorCode, ServerEvent, SOCKET_MAX_FRAME_BYTES } from '../../protocol';
import { authenticateToken } from '../auth/sessions';
import { clientLimits } from '../chat/settings';
import type { RedisLink } from '../cluster/redis';
import { PushNotifier } from '../push/push-notifier';
import type { VapidKeys } from '../push/vapid';
import type { Deps } from '../deps';
import { isSecureConnection, readSessionToken } from '../http/session-cookie';
import { isFromApp } from '../http/origin';
import { safeError } from '../logger';
import { limitAddresses, limitConnections } from './connection-limits';
import { registerHandlers } from './handler';
import { handlers } from './handlers';
import { InFlightWork } from '../lib/in-flight';
import { PresenceTracker } from './presence';
import { ReceiptBroadcaster } from './receipts';
import { sessionRoom, userRoom } from './rooms';
import { startSessionChecks } from './session-check';
import type { ParleyIo } from './types';
import { stopTypingOnDisconnect } from './typing';

export interface Realtime {
  io: ParleyIo;
  push: PushNotifier;
  /** Disconnects every socket of a session, on every node (sign-out). */
  disconnectSession(sessionId: string): void;
  /** Disconnects every socket of a user, on every node (sign-out everywhere). */
  disconnectUser(userId: string): void;
  /** Which of these users have a socket connected, on any node (the admin's users list). */
  connectedAmong(userIds: string[]): Promise<Set<string>>;
  /** Distinct people with a socket connected, on every node (the admin overview). */
  countOnlineUsers(): Promise<number>;
  /** The settings changed on this node: tell the other nodes and every client. */
  settingsChanged(): void;
  connectionCount(): number;
  isDraining(): boolean;
  /**
   * Refuses new connections, waits (up to `timeoutMs`) for the events being handled to be
   * acked, then closes every socket so that its client reconnects to another node.
   */
  drain(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export function createRealtime(
  httpServer: HttpServer,
  deps: Deps,
  options: { passThroughUpgrades: boolean; vapid: VapidKeys; redis?: RedisLink },
): Realtime {
  let isDraining = false;
  const io: ParleyIo = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: SOCKET_MAX_FRAME_BYTES,
    // A connection that has not joined (signed in) by then is closed; it holds a place of its
    // address until it is (connection-limits.ts).
    connectTimeout: deps.config.socketConnectTimeoutMs,
    // In development Next's hot reload needs the other WebSocket upgrades.
    destroyUpgrade: !options.passThroughUpgrades,
    allowRequest: (request, callback) => {
      if (isDraining) {
        callback('This node is shutting down', false);
        return;
      }
      const fetchSite = request.headers['sec-fetch-site'];
      const forwardedProto = request.headers['x-forwarded-proto'];
      const allowed = isFromApp(
        {
          origin: request.headers.origin,
          host: request.headers.host,
          isSecure: isSecureConnection(
            Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto,
            (request.socket as Partial<TLSSocket>).encrypted === true,
            deps.config,
          ),
          fetchSite: Array.isArray(fetchSite) ? fetchSite[0] : fetchSite,
        },
        deps.config,
      );
      if (!allowed) {
        deps.logger.info(
          { event: 'socket.origin-refused' },
          'socket handshake from a foreign origin refused',
        );
      }
      callback(allowed ? null : 'Origin not allowed', allowed);
    },
    ...(options.redis
      ? {
          adapter: createAdapter(options.redis.pub, options.redis.sub, {
            key: 'parley',
            requestsTimeout: 3_000,
          }),
        }
      : {}),
  });

  io.use((socket, next) => {
    const { request } = socket;
    const token = readSessionToken(request.headers.cookie);
    // The socket keeps no copy of the session token: its handshake (whose headers are these)
    // lives as long as it does, and with Redis, fetchSockets sends it to the node that asks.
    // Emptied, not deleted: a delete turns the headers into a dictionary of 5 times the size.
    // The request's raw headers hold it too.
    request.headers.cookie = undefined;
    forgetRawCookies(request.rawHeaders);
    authenticateToken(deps, token)
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
  limitAddresses(io, deps);
  io.use(limitConnections(deps));

  const presence = new PresenceTracker(io, deps, deps.config.presenceGraceMs);
  const push = new PushNotifier(deps, options.vapid, presence);
  const inFlight = new InFlightWork();
  const receipts = new ReceiptBroadcaster(io);
  const sessionChecks = startSessionChecks(io, deps);
  const logFailure = (event: string) => (error: unknown) =>
    deps.logger.error({ event, err: safeError(error) }, 'connection bookkeeping failed');

  // One for the node, not one per socket.
  const handlerEnv = { io, presence, push, receipts, deps, inFlight };
  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    void socket.join([userRoom(user.id), sessionRoom(sessionId)]);
    registerHandlers(handlerEnv, socket, handlers);
    socket.emit(ServerEvent.SessionReady, {
      user: {
        id: user.id,
        username: user.username,
        ...(user.displayName ? { displayName: user.displayName } : {}),
      },
      profile: socket.data.profile,
      isAdmin: user.role === 'admin',
      limits: clientLimits(deps.settings.current),
      privacy: socket.data.privacy,
    });
    presence.onConnect(user.id).catch(logFailure('presence.connect-failed'));
    socket.on('disconnect', () => {
      stopTypingOnDisconnect(deps, io, socket).catch(logFailure('typing.disconnect-failed'));
      presence.onDisconnect(user.id).catch(logFailure('presence.disconnect-failed'));
    });
  });

  const reloadSettings = () =>
    deps.settings
      .reload(deps.db, deps.logger)
      .then(() =>
        io.local.emit(ServerEvent.SettingsUpdated, { limits: clientLimits(deps.settings.current) }),
      )
      .catch(logFailure('settings.reload-failed'));

  // Another node changed the settings.
  io.on('settings:changed', () => void reloadSettings());

  // After a Redis outage, pushes between nodes may have been lost, and settings changes too:
  // reload, and have every client here sync from its cursors.
  options.redis?.onRecovered(() => {
    void reloadSettings();
    io.local.emit(ServerEvent.SyncRequired);
  });

  return {
    io,
    push,
    disconnectSession: (sessionId) => {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    disconnectUser: (userId) => {
      io.in(userRoom(userId)).disconnectSockets(true);
    },
    connectedAmong: (userIds) => presence.connectedAmong(userIds),
    countOnlineUsers: () => presence.countOnline(),
    settingsChanged: () => {
      if (options.redis) io.serverSideEmit('settings:changed');
      io.local.emit(ServerEvent.SettingsUpdated, { limits: clientLimits(deps.settings.current) });
    },
    connectionCount: () => io.engine.clientsCount,
    isDraining: () => isDraining,
    drain: async (timeoutMs) => {
      isDraining = true;
      const isIdle = await inFlight.idle(timeoutMs);
      if (!isIdle) {
        deps.logger.warn(
          { event: 'server.drain-timeout', inFlight: inFlight.size },
          'closing sockets with events still in flight',
        );
      }
      // Ticks that wait to be sent in a big group go out before the sockets close.
      receipts.flushAll();
      io.local.disconnectSockets(true);
    },
    close: async () => {
      receipts.flushAll();
      sessionChecks.stop();
      // Notifications of the last messages go out before the database and the adapter close
      // (a notification asks both): their lookups at once, their sends waited for.
      push.hurry();
      if (push.pending > 0) {
        deps.logger.info(
          { event: 'push.shutdown-wait', pending: push.pending },
          'waiting for push notifications under way before closing',
        );
        if (!(await push.settled(deps.config.shutdownTimeoutMs))) {
          deps.logger.warn(
            { event: 'push.shutdown-timeout', pending: push.pending },
            'closing with push notifications still under way',
          );
        }
      }
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      // Nobody is told that the people whose sockets closed here went offline (the grace
      // period would outlive the node, and most come back on another one), but their last
      // seen is written before the database closes: thousands of sockets take several writes.
      presence.stop();
      await presence.settled();
    },
  };
}

/** Empties the value of every Cookie header in a request's raw headers (name, value, ...). */
function forgetRawCookies(rawHeaders: string[]): void {
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (rawHeaders[index]!.toLowerCase() === 'cookie') rawHeaders[index + 1] = '';
  }
}
