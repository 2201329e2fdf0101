// Which origins may open sockets or send state-changing requests. Browsers always send Origin
// on cross-origin requests and WebSocket handshakes, so a missing Origin means a same-origin
// request or a non-browser client, neither of which can be a cross-site forgery. Browsers that
// send Sec-Fetch-Site say "cross-site" for requests another site made, Origin or not.

import type { Config } from '../config';

/** What a request says about where it was addressed and where it came from. */
export interface RequestOrigins {
  origin: string | undefined;
  /** The Host header, as a proxy forwards it. */
  host: string | undefined;
  /** Whether the client reached Parley over HTTPS (session-cookie.ts#isSecureConnection). */
  isSecure: boolean;
  fetchSite: string | undefined;
}

/** A Host header's characters: a name, an IPv4 or [IPv6] address, and a port. */
const HOST_HEADER = /^[a-z0-9.\-_[\]:]+$/i;

/**
 * The origin the request was addressed to: the scheme the client used (so a page served over
 * HTTPS and one served over HTTP are different sites, as browsers hold them) and the Host
 * header. Null when the Host header is missing or no host.
 */
export function ownOrigin(host: string | undefined, isSecure: boolean): string | null {
  if (host === undefined || !HOST_HEADER.test(host)) return null;
  try {
    return new URL(`${isSecure ? 'https' : 'http'}://${host}`).origin;
  } catch {
    return null;
  }
}

export function isOriginAllowed(
  request: Pick<RequestOrigins, 'origin' | 'host' | 'isSecure'>,
  config: Pick<Config, 'allowedOrigins'>,
): boolean {
  const { origin } = request;
  if (origin === undefined) return true;
  if (origin === 'null') return false; // sandboxed frames, file:// pages, some redirects
  if (config.allowedOrigins) return config.allowedOrigins.includes(origin);
  // Default: the full origin (scheme, host and port) the request was addressed to. Both sides
  // go through URL, so that case and default ports (:80, :443) compare equal.
  const own = ownOrigin(request.host, request.isSecure);
  try {
    return own !== null && new URL(origin).origin === own;
  } catch {
    return false;
  }
}

/** A state change or socket handshake the app itself may have made: allowed Origin, not cross-site. */
export function isFromApp(
  request: RequestOrigins,
  config: Pick<Config, 'allowedOrigins'>,
): boolean {
  return request.fetchSite !== 'cross-site' && isOriginAllowed(request, config);
}
