// Builds a running Parley node: database (migrated), settings, Next.js and Socket.IO on one
// HTTP server. Everything is created here once and passed down.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { openDatabase, type DatabaseHandle } from '../db';
import { setAppContext } from './app-context';
import { authenticateToken, scheduleSessionCleanup } from './auth/sessions';
import { createMarkerWriter } from './chat/advance-markers';
import { createMessageWriter } from './chat/send-message';
import { SettingsStore } from './chat/settings';
import type { Config } from './config';
import type { Deps } from './deps';
import { createAdminRoutes } from './http/admin-routes';
import { createAuthRoutes } from './http/auth-routes';
import { CLIENT_ADDRESS_HEADER, clientAddress } from './http/client-address';
import { serveOperational } from './http/operational';
import { createPushRoutes } from './http/push-routes';
import { setSecurityHeaders } from './http/security-headers';
import { loadVapidKeys } from './push/vapid';
import { connectRedis, type RedisLink } from './cluster/redis';
import { safeError, type Logger } from './logger';
import { Metrics } from './metrics';
import { RateLimits } from './rate-limit/rate-limits';
import { createRealtime, type Realtime } from './realtime/server';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  /** The URL to open in a browser. */
  url: string;
  port: number;
  database: DatabaseHandle;
  realtime: Realtime;
  close(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    preparedStatements: config.databasePreparedStatements,
  });
  logger.info(
    { event: 'database.ready', driver: database.driver, location: database.location },
    database.driver === 'pglite'
      ? `database: embedded PGlite in ${database.location}`
      : `database: PostgreSQL at ${database.location}`,
  );

  let redis: RedisLink | undefined;
  try {
    if (config.redisUrl) {
      redis = await connectRedis(config.redisUrl, logger);
      logger.info(
        { event: 'redis.ready' },
        'Redis connected: this node shares fan-out and presence',
      );
    }
    const settings = await SettingsStore.load(database.db, logger);
    const metrics = new Metrics(config.nodeId);
    const deps: Deps = {
      db: database.db,
      config,
      logger,
      settings,
      metrics,
      rateLimits: new RateLimits({ settings, logger, metrics, redis: redis?.pub }),
      messageWriter: createMessageWriter(database.db),
      markerWriter: createMarkerWriter(database.db),
    };

    const nextApp = next({
      dev: config.isDev,
      dir: PROJECT_ROOT,
      hostname: config.host,
      port: config.port,
    });
    await nextApp.prepare();
    const handleNext = nextApp.getRequestHandler();
    // The request listener must exist before Socket.IO attaches: engine.io wraps the listeners
    // it finds and passes on everything outside /socket.io/.
    const httpServer = createServer((req, res) => {
      if (serveOperational(req, res, readiness, metrics)) return;
      // Route handlers read the client's address from here; a value the client sent is replaced.
      req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(
        req.headers['x-forwarded-for'],
        req.socket.remoteAddress,
        config.trustProxy,
      );
      handleNext(req, res).catch((error: unknown) => {
        logger.error({ event: 'http.next-failed', err: safeError(error) }, 'page request failed');
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
    });
    const sessionCleanup = scheduleSessionCleanup(deps);
    const realtime = createRealtime(httpServer, deps, {
      passThroughUpgrades: config.isDev,
      vapid: await loadVapidKeys(config, database.db),
      ...(redis ? { redis } : {}),
    });
    // First of all listeners, engine.io's included: every response carries these headers.
    httpServer.prependListener('request', (req, res) => setSecurityHeaders(req, res, config));
    const readiness = {
      isDraining: () => realtime.isDraining(),
      pingDatabase: () => database.ping(),
      isRedisReady: () => (redis ? redis.isReady() : null),
    };
    metrics.observe({
      connections: () => realtime.connectionCount(),
      database: () => database.stats(),
      redisReady: () => readiness.isRedisReady(),
    });
    if (config.isDev) {
      const upgrade = nextApp.getUpgradeHandler();
      httpServer.on('upgrade', (req, socket, head) => {
        if (!req.url?.startsWith('/socket.io/')) void upgrade(req, socket, head);
      });
    }
    // Before listening: route handlers and pages reach the server through this.
    setAppContext({
      routes: {
        ...createAuthRoutes(deps, realtime),
        ...createAdminRoutes(deps, realtime),
        ...createPushRoutes(deps, realtime.push),
      },
      authenticate: (token) => authenticateToken(deps, token),
    });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const port = (httpServer.address() as AddressInfo).port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      database,
      realtime,
      close: () =>
        (closing ??= (async () => {
          // Report not ready and refuse new sockets, stop listening, let the events in
          // flight commit and ack, then close the sockets: their clients go to other nodes.
          const drained = realtime.drain(config.shutdownTimeoutMs);
          httpServer.close();
          httpServer.closeIdleConnections();
          await drained;
          // Browsers keep HTTP connections open; once the sockets are drained, nothing on
          // them is worth waiting for.
          httpServer.closeAllConnections();
          sessionCleanup.stop();
          await realtime.close();
          await nextApp.close();
          await redis?.close();
          await database.close();
        })()),
    };
  } catch (error) {
    await redis?.close();
    await database.close();
    throw error;
  }
}
