// The Content-Security-Policy of every page, built by proxy.ts with a fresh nonce per request.
// Next.js reads the nonce back from the request's Content-Security-Policy header and puts it on
// every script and style tag it renders (which is why every page is rendered per request: see
// app/layout.tsx). Keep this file free of runtime imports: proxy.ts bundles it.

/** 128 random bits, base64: unguessable, and a valid CSP nonce-source. */
export function makeNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

export function contentSecurityPolicy(nonce: string, options: { isDev: boolean }): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // 'strict-dynamic': the nonce-bearing scripts Next renders may load the app's chunks; every
    // other script (injected markup, other hosts, even 'self' files not loaded by them) is
    // refused. In development React's debugging helpers need eval; production never does.
    'script-src': [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(options.isDev ? ["'unsafe-eval'"] : []),
    ],
    // Production styles are files under /_next/static ('self'); Next puts the nonce on any
    // inline <style> it renders. Development's hot reloading injects <style> tags without a
    // nonce, so only there 'unsafe-inline' is needed (with a nonce present, browsers would
    // ignore it anyway, hence no nonce in development).
    'style-src': options.isDev ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${nonce}'`],
    // The API and Socket.IO, long-polling and WebSocket: in CSP Level 3 'self' also matches
    // ws: and wss: on the page's own host and port (so does development's hot-reload socket).
    // Push services are contacted by the browser, never by the page.
    'connect-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'manifest-src': ["'self'"],
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
