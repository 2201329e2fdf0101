// /healthz, /readyz and /metrics, for load balancers and monitoring. They are answered by
// the custom server before Next.js, so they stay cheap and answer while pages are busy.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from '../metrics';

export interface Readiness {
  isDraining(): boolean;
  pingDatabase(): Promise<void>;
  /** null without Redis. */
  isRedisReady(): boolean | null;
}

const PING_TIMEOUT_MS = 2_000;

/** Answers the request if it is an operational one; returns false otherwise. */
export function serveOperational(
  req: IncomingMessage,
  res: ServerResponse,
  readiness: Readiness,
  metrics: Metrics,
): boolean {
  const path = req.url?.split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/healthz') {
    send(res, 200, 'application/json', JSON.stringify({ ok: true }));
    return true;
  }
  if (path === '/readyz') {
    void checkReadiness(readiness).then((checks) => {
      const isReady = checks.database === 'up' && checks.redis !== 'down' && !checks.draining;
      send(
        res,
        isReady ? 200 : 503,
        'application/json',
        JSON.stringify({ ok: isReady, ...checks }),
      );
    });
    return true;
  }
  if (path === '/metrics') {
    void metrics.registry.metrics().then(
      (text) => send(res, 200, metrics.registry.contentType, text),
      () => send(res, 500, 'text/plain', 'metrics failed'),
    );
    return true;
  }
  return false;
}

async function checkReadiness(readiness: Readiness) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const database = await Promise.race([
    readiness.pingDatabase().then(
      () => 'up' as const,
      () => 'down' as const,
    ),
    new Promise<'down'>((resolve) => {
      timer = setTimeout(() => resolve('down'), PING_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  const redis = readiness.isRedisReady();
  return {
    database,
    redis:
      redis === null ? ('not configured' as const) : redis ? ('up' as const) : ('down' as const),
    draining: readiness.isDraining(),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
