// Process entry point: `npm start` runs this. Reads the configuration, starts the server,
// and shuts down cleanly on SIGTERM or SIGINT.

import { startServer } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger, safeError } from './logger';

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

  let server;
  try {
    server = await startServer(config, logger);
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
    { event: 'server.listening', url: server.url, port: server.port, host: config.host },
    `Parley is listening on ${server.url}`,
  );

  const shutdown = (signal: string) => {
    logger.info({ event: 'server.stopping', signal }, 'shutting down');
    const startedAt = Date.now();
    server
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

void main();
