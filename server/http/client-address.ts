// Who is on the other end of a request, for the per-address rate limits. Behind reverse proxies
// (TRUST_PROXY hops) the address comes from X-Forwarded-For, read from the right: each trusted
// proxy appended the address it saw, and anything further left is the client's own claim.

import { isIP } from 'node:net';

/**
 * Set by the API router on every REST request before its route runs (any value the client sent
 * is replaced), so that route handlers can read the address the server worked out.
 */
export const CLIENT_ADDRESS_HEADER = 'x-parley-client-address';

/**
 * The client's address: the `trustProxy`-th entry from the right of X-Forwarded-For (the
 * leftmost one when there are fewer), or the connection's own address when no proxy is
 * trusted. IPv4 addresses mapped into IPv6 (`::ffff:1.2.3.4`) come out as IPv4.
 */
export function clientAddress(
  forwardedFor: string | string[] | undefined,
  remoteAddress: string | undefined,
  trustProxy: number,
): string {
  const remote = normalize(remoteAddress ?? '') ?? 'unknown';
  if (trustProxy === 0 || forwardedFor === undefined) return remote;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return remote;
  const entry = forwarded[Math.max(0, forwarded.length - trustProxy)]!;
  return normalize(entry) ?? remote;
}

/**
 * What per-address limits count by: an IPv4 address, or the /64 network of an IPv6 address
 * (one host usually holds a whole /64, so single addresses would be free to rotate).
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function normalize(address: string): string | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  return isIP(bare) ? bare.toLowerCase() : null;
}

/** The eight groups of an IPv6 address, without leading zeros. */
function expandIpv6(address: string): string[] {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (as in 64:ff9b::1.2.3.4) is two groups.
  const ipv4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (ipv4) {
    const [a, b, c, d] = ipv4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, ipv4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const strip = (group: string) => group.replace(/^0+(?=.)/, '');
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  if (tail === undefined) return left.map(strip);
  const right = tail ? tail.split(':') : [];
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map(strip);
}

/** The address of a request that came through the server (see CLIENT_ADDRESS_HEADER). */
export function requestAddress(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
}
