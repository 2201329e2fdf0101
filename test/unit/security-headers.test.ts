// The CSP builder and the headers the custom server puts on every response.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, makeNonce } from '../../server/http/csp';
import { HSTS, setSecurityHeaders } from '../../server/http/security-headers';

describe('contentSecurityPolicy', () => {
  it('allows scripts only by nonce (and what they load) in production', () => {
    const policy = contentSecurityPolicy('abc', { isDev: false });
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(policy).toContain("style-src 'self' 'nonce-abc';");
    expect(policy).not.toMatch(/unsafe/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  });

  it('adds only what development’s tooling needs in development', () => {
    const policy = contentSecurityPolicy('abc', { isDev: true });
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic' 'unsafe-eval';");
    expect(policy).toContain("style-src 'self' 'unsafe-inline';");
  });

  it('makes a new 128-bit nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, makeNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});

describe('setSecurityHeaders', () => {
  function headersFor(
    request: { forwardedProto?: string; encrypted?: boolean },
    cookieSecure: 'auto' | boolean = 'auto',
  ): Record<string, string> {
    const set: Record<string, string> = {};
    const req = {
      headers: request.forwardedProto ? { 'x-forwarded-proto': request.forwardedProto } : {},
      socket: { encrypted: request.encrypted },
    } as unknown as IncomingMessage;
    const res = {
      setHeader: (name: string, value: string) => {
        set[name] = value;
      },
    } as unknown as ServerResponse;
    setSecurityHeaders(req, res, { cookieSecure });
    return set;
  }

  it('always sets the common headers', () => {
    expect(headersFor({})).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    });
  });

  it.each([
    ['plain HTTP', {}, 'auto', false],
    ['TLS to this process', { encrypted: true }, 'auto', true],
    [
      'a proxy saying https (COOKIE_SECURE=auto trusts it)',
      { forwardedProto: 'https' },
      'auto',
      true,
    ],
    ['a proxy saying https first of a list', { forwardedProto: 'https, http' }, 'auto', true],
    ['a proxy saying http', { forwardedProto: 'http', encrypted: true }, 'auto', false],
    ['a proxy saying https when COOKIE_SECURE=false', { forwardedProto: 'https' }, false, false],
    ['plain HTTP when COOKIE_SECURE=true', {}, true, true],
  ] as const)('HSTS over %s', (_, request, cookieSecure, expected) => {
    expect(headersFor(request, cookieSecure)['strict-transport-security']).toBe(
      expected ? HSTS : undefined,
    );
  });
});
