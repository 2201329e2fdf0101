// Which origins may open sockets or send state-changing requests. Browsers always send Origin
// on cross-origin requests and WebSocket handshakes, so a missing Origin means a same-origin
// request or a non-browser client, neither of which can be a cross-site forgery. Browsers that
// send Sec-Fetch-Site say "cross-site" for requests another site made, Origin or not.

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

/** A state change or socket handshake the app itself may have made: allowed Origin, not cross-site. */
export function isFromApp(
  headers: { origin: string | undefined; host: string | undefined; fetchSite: string | undefined },
  config: Pick<Config, 'allowedOrigins'>,
): boolean {
  return (
    headers.fetchSite !== 'cross-site' && isOriginAllowed(headers.origin, headers.host, config)
  );
}
