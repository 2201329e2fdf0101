// Next.js proxy (the former middleware): gives every page its Content-Security-Policy, with a
// nonce made for this request. Next reads the nonce from the request's CSP header and puts it
// on the scripts and styles it renders. The headers every response gets (nosniff, frame
// denial, HSTS…) are set by the custom server instead: see server/http/security-headers.ts.

import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, makeNonce } from './server/http/csp';

export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy(makeNonce(), {
    isDev: process.env.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not the API (the custom server answers it before Next), built assets,
      // icons, the emoji data, the manifest or the service worker (a CSP on /sw.js would bind
      // the worker itself). Prefetches are RSC payloads.
      source:
        '/((?!api/|_next/static/|_next/image|icons/|emojibase/|sw\\.js|manifest\\.webmanifest|favicon\\.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
