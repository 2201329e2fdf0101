// Sessions end while their sockets are open: sign-out and sign-out everywhere disconnect them at
// once (through the adapter, on every node), but expiry happens without a request, and a
// disconnect sent while Redis was away is lost. So every node re-checks, on a timer, the
// sessions of its own sockets and disconnects those whose session has expired (absolute or
// idle) or is gone. The clients reconnect, are refused, and go to the sign-in page.

import { checkConnectedSessions } from '../auth/sessions';
import type { Deps } from '../deps';
import { safeError } from '../logger';
import type { ParleyIo, ParleySocket } from './types';

/** Session ids per query, well below the drivers' parameter limits. */
const CHUNK = 1_000;

export function startSessionChecks(io: ParleyIo, deps: Deps): { stop(): void } {
  let isRunning = false;
  const timer = setInterval(() => {
    if (isRunning) return;
    isRunning = true;
    checkLocalSockets(io, deps)
      .catch((error: unknown) =>
        deps.logger.error(
          { event: 'sessions.check-failed', err: safeError(error) },
          'checking the sessions of connected sockets failed',
        ),
      )
      .finally(() => {
        isRunning = false;
      });
  }, deps.config.sessionCheckIntervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

async function checkLocalSockets(io: ParleyIo, deps: Deps): Promise<void> {
  const bySession = new Map<string, ParleySocket[]>();
  for (const socket of io.of('/').sockets.values()) {
    const list = bySession.get(socket.data.sessionId);
    if (list) list.push(socket);
    else bySession.set(socket.data.sessionId, [socket]);
  }
  const sessionIds = [...bySession.keys()];
  for (let start = 0; start < sessionIds.length; start += CHUNK) {
    const chunk = sessionIds.slice(start, start + CHUNK);
    const live = await checkConnectedSessions(deps, chunk);
    for (const sessionId of chunk) {
      if (live.has(sessionId)) continue;
      const sockets = bySession.get(sessionId) ?? [];
      deps.logger.info(
        { event: 'sessions.ended-disconnected', sessionId, sockets: sockets.length },
        'disconnected the sockets of an ended session',
      );
      for (const socket of sockets) socket.disconnect(true);
    }
  }
}
