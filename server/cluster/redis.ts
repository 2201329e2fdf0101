// The Redis connections of a node: one to publish, one to subscribe (a subscribed connection
// can do nothing else). ioredis resubscribes by itself after a reconnect, which Socket.IO's
// docs recommend it for. An outage must never take the node down: errors are logged (once
// per outage), commands wait for the connection to return, and the node learns when it is
// back so that it can tell its clients to sync.

import { Redis } from 'ioredis';
import type { Logger } from '../logger';

export interface RedisLink {
  pub: Redis;
  sub: Redis;
  /** Both connections are up. */
  isReady(): boolean;
  /** Called each time both connections are up again after an outage. */
  onRecovered(listener: () => void): void;
  close(): Promise<void>;
}

export async function connectRedis(url: string, logger: Logger): Promise<RedisLink> {
  const options = {
    // Commands wait for the connection instead of failing: a publish during an outage goes out
    // when Redis is back (clients de-duplicate), and no promise rejects unhandled.
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    lazyConnect: true,
  };
  const pub = new Redis(url, options);
  const sub = pub.duplicate();
  const listeners: (() => void)[] = [];
  let isDown = false;
  let isClosing = false;

  const markDown = (connection: string, reason: string) => {
    if (isDown || isClosing) return; // one log line per outage, not one per retry
    isDown = true;
    logger.error({ event: 'redis.down', connection, reason }, 'Redis is unreachable');
  };
  for (const [name, client] of [
    ['publisher', pub],
    ['subscriber', sub],
  ] as const) {
    client.on('error', (error: Error) => markDown(name, error.message));
    client.on('close', () => markDown(name, 'connection closed'));
    client.on('ready', () => {
      if (!isDown || pub.status !== 'ready' || sub.status !== 'ready') return;
      isDown = false;
      logger.info({ event: 'redis.recovered' }, 'Redis is reachable again');
      for (const listener of listeners) listener();
    });
  }

  await Promise.all([pub.connect(), sub.connect()]);
  return {
    pub,
    sub,
    isReady: () => pub.status === 'ready' && sub.status === 'ready',
    onRecovered: (listener) => listeners.push(listener),
    close: async () => {
      isClosing = true;
      await Promise.allSettled([pub.quit(), sub.quit()]);
      pub.disconnect();
      sub.disconnect();
    },
  };
}
