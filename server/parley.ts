// Builds a Parley node on a node http.Server from the components it is given: Socket.IO, the
// REST API, the operational endpoints and, when a page handler is passed (Next.js in
// server/main.ts), the pages. Nothing here opens a database, connects to Redis or reads the
// environment, so tests build it in-process on port 0 with real databases and real clients.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { DatabaseHandle } from '../db';
import { setAppContext } from './app-context';
import { createPasswords, type HashCost } from './auth/passwords';
import { authenticateToken, createSessionFinder, scheduleSessionCleanup } from './auth/sessions';
import { createMarkerWriter } from './chat/advance-markers';
import { createMessageWriter } from './chat/send-message';
import { SettingsStore } from './chat/settings';
import { systemClock, type Clock } from './clock';
import type { RedisLink } from './cluster/redis';
import type { Config } from './config';
import type { Deps } from './deps';
import type { Failpoints } from './failpoints';
import { createAdminRoutes } from './http/admin-routes';
import { createAdminUserRoutes } from './http/admin-user-routes';
import { createApiRouter, isApiPath } from './http/api-router';
import { createAuthRoutes } from './http/auth-routes';
import { serveOperational, type Readiness } from './http/operational';
import { createReportRoutes } from './http/report-routes';
import { createPushRoutes } from './http/push-routes';
import { setSecurityHeaders } from './http/security-headers';
import { safeError, type Logger } from './logger';
import { Metrics } from './metrics';
import { loadVapidKeys } from './push/vapid';
import { RateLimits } from './rate-limit/rate-limits';
import { createRealtime, type Realtime } from './realtime/server';

/** Answers a page request (Next.js's request handler). */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Takes over a WebSocket upgrade that is not Socket.IO's (Next.js's hot reload in development). */
export type UpgradeHandler = (req: IncomingMessage, socket: Socket, head: Buffer) => unknown;

export interface ParleyComponents {
  /** Opened and migrated; the caller closes it after close(). */
  database: DatabaseHandle;
  config: Config;
  logger: Logger;
  /** With Redis: fan-out, presence, settings changes and counters shared between nodes. */
  redis?: RedisLink | undefined;
  clock?: Clock | undefined;
  failpoints?: Failpoints | undefined;
  /** argon2id's cost for new password hashes; OWASP's (PASSWORD_HASH_COST) unless given. */
  hashCost?: HashCost | undefined;
  /** For every path that is not the API, Socket.IO or operational; without it those are 404. */
  pages?: PageHandler | undefined;
  upgrades?: UpgradeHandler | undefined;
}

export interface Parley {
  httpServer: Server;
  realtime: Realtime;
  deps: Deps;
  /** Starts listening; port 0 takes a free one. */
  listen(port: number, host: string): Promise<{ url: string; port: number }>;
  /**
   * Reports not ready and refuses new sockets, stops listening, lets the events in flight commit
   * and ack, then closes the sockets and connections. The database, Redis and the page handler
   * belong to the caller, who closes them afterwards.
   */
  close(): Promise<void>;
}

export async function createParley(components: ParleyComponents): Promise<Parley> {
  const { database, config, logger, redis, pages, upgrades } = components;
  const settings = await SettingsStore.load(database.db, logger);
  const metrics = new Metrics(config.nodeId);
  const clock = components.clock ?? systemClock;
  const deps: Deps = {
    db: database.db,
    config,
    logger,
    clock,
    failpoints: components.failpoints ?? {},
    settings,
    passwords: createPasswords(components.hashCost),
    metrics,
    rateLimits: new RateLimits({ settings, logger, metrics, clock, redis: redis?.pub }),
    messageWriter: createMessageWriter(database.db),
    markerWriter: createMarkerWriter(database.db),
    sessionFinder: createSessionFinder({ db: database.db, config, clock }),
  };
  const vapid = await loadVapidKeys(config, database.db);

  // The request listener must exist before Socket.IO attaches: engine.io wraps the listeners
  // it finds and passes on everything outside /socket.io/. It runs only once listening, when
  // everything below exists.
  const httpServer = createServer((req, res) => serveRequest(req, res));
  const realtime = createRealtime(httpServer, deps, {
    passThroughUpgrades: upgrades !== undefined,
    vapid,
    ...(redis ? { redis } : {}),
  });
  const serveApi = createApiRouter(
    {
      ...createAuthRoutes(deps, realtime),
      ...createAdminRoutes(deps, realtime),
      ...createAdminUserRoutes(deps, realtime),
      ...createPushRoutes(deps, realtime.push),
      ...createReportRoutes(deps),
    },
    deps,
  );
  const serveRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (refuseNonPathTarget(req, res)) return;
    if (serveOperational(req, res, readiness, metrics)) return;
    if (isApiPath((req.url ?? '/').split('?')[0]!)) {
      serveApi(req, res);
      return;
    }
    if (!pages) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.');
      return;
    }
    Promise.resolve(pages(req, res)).catch((error: unknown) => {
      logger.error({ event: 'http.next-failed', err: safeError(error) }, 'page request failed');
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
  // First of all listeners, engine.io's included: every response carries these headers.
  httpServer.prependListener('request', (req, res) => setSecurityHeaders(req, res, config));
  if (upgrades) {
    httpServer.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (!req.url?.startsWith('/socket.io/')) void upgrades(req, socket, head);
    });
  }
  const readiness: Readiness = {
    isDraining: () => realtime.isDraining(),
    pingDatabase: () => database.ping(),
    isRedisReady: () => (redis ? redis.isReady() : null),
  };
  metrics.observe({
    connections: () => realtime.connectionCount(),
    database: () => database.stats(),
    redisReady: () => readiness.isRedisReady(),
  });
  // Server components (app/session.ts) reach the session check through this; only pages need it.
  if (pages) setAppContext({ authenticate: (token) => authenticateToken(deps, token) });
  const sessionCleanup = scheduleSessionCleanup(deps);

  let closing: Promise<void> | undefined;
  return {
    httpServer,
    realtime,
    deps,
    listen: (port, host) => listen(httpServer, port, host, config.listenBacklog),
    close: () =>
      (closing ??= (async () => {
        // Report not ready and refuse new sockets, stop listening, let the events in flight
        // commit and ack, then close the sockets: their clients go to other nodes.
        const drained = realtime.drain(config.shutdownTimeoutMs);
        httpServer.close();
        httpServer.closeIdleConnections();
        await drained;
        // Browsers keep HTTP connections open; once the sockets are drained, nothing on them
        // is worth waiting for.
        httpServer.closeAllConnections();
        sessionCleanup.stop();
        await realtime.close();
      })()),
  };
}

/**
 * Answers 400 to a request line whose target is not a path: the absolute form (`GET
 * http://evil.example/x`), which only proxies take and which Next.js would otherwise answer with
 * a redirect to that host, and the asterisk form. Parley is never a proxy, and a proxy in front
 * of it sends paths. Engine.io passes such requests on too: their path is no /socket.io/ path.
 */
function refuseNonPathTarget(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url?.startsWith('/')) return false;
  res
    .writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
    .end('Bad request: the request line must name a path, such as /chats.');
  return true;
}

async function listen(
  httpServer: Server,
  port: number,
  host: string,
  backlog: number,
): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen({ port, host, backlog }, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const bound = (httpServer.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${bound}`;
  return { url, port: bound };
}
