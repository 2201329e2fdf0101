// The session cookie: httpOnly (no script can read it), SameSite=Lax (not sent on cross-site
// POSTs), Secure when the app is reached over HTTPS.

import { parse, serialize } from 'cookie';
import { SESSION_COOKIE } from '../../protocol';
import type { Config } from '../config';

export function readSessionToken(cookieHeader: string | null | undefined): string | undefined {
  return cookieHeader ? parse(cookieHeader)[SESSION_COOKIE] : undefined;
}

export function isSecureRequest(request: Request, config: Pick<Config, 'cookieSecure'>): boolean {
  return isSecureConnection(
    request.headers.get('x-forwarded-proto'),
    new URL(request.url).protocol === 'https:',
    config,
  );
}

/**
 * Whether the client reached Parley over HTTPS. COOKIE_SECURE=auto trusts the proxy's
 * X-Forwarded-Proto (its first value), else the connection itself; true or false decide alone.
 * Used for the cookie's Secure flag and for HSTS (server/http/security-headers.ts).
 */
export function isSecureConnection(
  forwardedProto: string | null | undefined,
  isTls: boolean,
  config: Pick<Config, 'cookieSecure'>,
): boolean {
  if (config.cookieSecure !== 'auto') return config.cookieSecure;
  const forwarded = forwardedProto?.split(',')[0]?.trim();
  return forwarded === undefined ? isTls : forwarded === 'https';
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: 0,
  });
}
