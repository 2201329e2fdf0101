// Which origins may open sockets or send state-changing requests. Browsers always send Origin
// on cross-origin requests and WebSocket handshakes, so a missing Origin means a same-origin
// request or a non-browser client, neither of which can be a cross-site forgery.

import type { Config } from '../config';

export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  config: Pick<Config, 'allowedOrigins'>,
): boolean {
  if (origin === undefined) return true;
  if (origin === 'null') return false; // sandboxed frames, file:// pages, some redirects
  if (config.allowedOrigins) return config.allowedOrigins.includes(origin);
  // Default: the origin the request was addressed to (the Host header, as a proxy forwards it).
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
