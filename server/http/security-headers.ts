// Headers every response gets (pages, API, Socket.IO long-polling, /healthz…), set by the
// custom server before anything else answers. Pages also get their Content-Security-Policy,
// with a nonce, from proxy.ts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Config } from '../config';
import { isSecureConnection } from './session-cookie';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  // Not no-referrer: under it browsers send `Origin: null` on the app's own POSTs, which
  // assertSameOrigin (rightly) refuses.
  'referrer-policy': 'strict-origin-when-cross-origin',
  // For browsers without CSP's frame-ancestors: no page of Parley is ever framed.
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  // Powerful features a text chat never uses, for this page and anything it embeds.
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Two years, subdomains included; sent only over HTTPS (browsers ignore it over HTTP). */
export const HSTS = 'max-age=63072000; includeSubDomains';

export function setSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  config: Pick<Config, 'cookieSecure'>,
): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  const forwarded = req.headers['x-forwarded-proto'];
  const isTls = (req.socket as Partial<TLSSocket>).encrypted === true;
  if (isSecureConnection(Array.isArray(forwarded) ? forwarded[0] : forwarded, isTls, config)) {
    res.setHeader('strict-transport-security', HSTS);
  }
}
