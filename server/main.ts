// Process entry point: `npm start` runs this (compiled to dist/, see scripts/build-server.mjs),
// `npm run dev` runs it with tsx. Reads the configuration, opens the database, connects Redis,
// prepares Next.js, builds Parley around them, listens, and shuts down cleanly on SIGTERM or
// SIGINT.

import { fileURLToPath } from 'node:url';
import next from 'next';
import type { DatabaseHandle } from '../db';
import { connectRedis, type RedisLink } from './cluster/redis';
import { ConfigError, loadConfig, type Config } from './config';
import { failpointsFromSwitch } from './failpoints';
import { createLogger, safeError, type Logger } from './logger';
import { openConfiguredDatabase } from './open-database';
import { createParley } from './parley';

/** The folder with app/ and .next/: one up from server/ (tsx) and from dist/ (compiled). */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

type NextApp = ReturnType<typeof next>;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  process.on('unhandledRejection', (reason) => {
    // Logged, not fatal: one failed promise must not take every connection down with it.
    logger.error(
      { event: 'process.unhandled-rejection', err: safeError(reason) },
      'unhandled rejection',
    );
  });

  let node;
  try {
    node = await startNode(config, logger);
  } catch (error) {
    logger.fatal(
      { event: 'process.start-failed', err: safeError(error) },
      `Parley could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
  if (config.failpoint) {
    logger.warn(
      { event: 'server.failpoint', failpoint: config.failpoint },
      'a test failpoint is armed',
    );
  }
  logger.info(
    { event: 'server.listening', url: node.url, port: node.port, host: config.host },
    `Parley is listening on ${node.url}`,
  );

  const shutdown = (signal: string) => {
    logger.info({ event: 'server.stopping', signal }, 'shutting down');
    const startedAt = Date.now();
    node
      .close()
      .then(() => {
        logger.info({ event: 'server.stopped', durationMs: Date.now() - startedAt }, 'stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ event: 'server.stop-failed', err: safeError(error) }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** Everything this process owns, started in order; on a failure, what was started is closed. */
async function startNode(
  config: Config,
  logger: Logger,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const owned: { database?: DatabaseHandle; redis?: RedisLink; nextApp?: NextApp } = {};
  const closeOwned = async () => {
    await owned.nextApp?.close();
    await owned.redis?.close();
    await owned.database?.close();
  };
  try {
    owned.database = await openConfiguredDatabase(config, logger);
    if (config.redisUrl) {
      owned.redis = await connectRedis(config.redisUrl, logger);
      logger.info(
        { event: 'redis.ready' },
        'Redis connected: this node shares fan-out and presence',
      );
    }
    owned.nextApp = next({
      dev: config.isDev,
      dir: PROJECT_ROOT,
      hostname: config.host,
      port: config.port,
    });
    await owned.nextApp.prepare();
    const parley = await createParley({
      database: owned.database,
      config,
      logger,
      redis: owned.redis,
      failpoints: failpointsFromSwitch(config.failpoint),
      pages: owned.nextApp.getRequestHandler(),
      upgrades: config.isDev ? owned.nextApp.getUpgradeHandler() : undefined,
    });
    const { url, port } = await parley.listen(config.port, config.host);
    return {
      url,
      port,
      close: async () => {
        await parley.close();
        await closeOwned();
      },
    };
  } catch (error) {
    await closeOwned();
    throw error;
  }
}

void main();
