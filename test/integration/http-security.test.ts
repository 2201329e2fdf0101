// HTTP hardening: the nonce-based Content-Security-Policy of pages, the headers every response
// carries, HSTS only over HTTPS, cross-site state changes refused (and nothing stored), and
// errors that never show a stack or SQL.

import { randomBytes } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deletePushSubscription,
  deleteSessionsOfUser,
  findUserByUsername,
  readSettings,
} from '../../db';
import { httpEndpoints } from '../../protocol';
import { throwIfHttpErrorAsked } from '../../server/failpoints';
import { cookieFrom, PASSWORD, postJson, uniqueName, type Account } from '../helpers/client';
import {
  createTestDatabase,
  seedAdmin,
  withDatabase,
  type TestDatabase,
} from '../helpers/database';
import { startNextPages, type NextPages } from '../helpers/next-pages';
import { startServer, type TestServer } from '../helpers/server';

let database: TestDatabase;
let server: TestServer;
let pages: NextPages;
/** An admin, so that every route (the admin one included) would act if the origin passed. */
let admin: Account;
const adminName = uniqueName('root');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedAdmin(database.serverOptions, adminName, PASSWORD);
  // Pages come from the Next.js build, in this process, as server/main.ts attaches it.
  pages = await startNextPages();
  // http-error fires only for requests that carry its header (see server/failpoints.ts).
  server = await startServer({
    ...database.serverOptions,
    pages: pages.handle,
    failpoints: { beforeHttpRoute: throwIfHttpErrorAsked },
  });
  const signedIn = await postJson(server.url, '/api/auth/sign-in', {
    username: adminName,
    password: PASSWORD,
  });
  expect(signedIn.status).toBe(200);
  admin = { user: signedIn.body.user as Account['user'], cookie: cookieFrom(signedIn.setCookie) };
});

afterAll(async () => {
  await server?.stop();
  await pages?.close();
  await database?.drop();
});

function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
}

/** The directives of a CSP header, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function nonceOf(policy: string): string {
  const nonce = /'nonce-([^']+)'/.exec(directives(policy).get('script-src')?.join(' ') ?? '')?.[1];
  if (!nonce) throw new Error(`no nonce in ${policy}`);
  return nonce;
}

describe('the Content-Security-Policy of pages', () => {
  it('carries a fresh nonce per request, which every script of the page bears', async () => {
    const first = await get('/sign-in');
    const second = await get('/sign-in');
    const policies = [first, second].map((response) => {
      expect(response.status).toBe(200);
      const policy = response.headers.get('content-security-policy');
      expect(policy).toBeTruthy();
      return policy!;
    });
    const nonces = policies.map(nonceOf);
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(Buffer.from(nonces[0]!, 'base64')).toHaveLength(16);

    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonces[0]}"`);
  });

  it('allows no inline script, no eval and nothing from other hosts', async () => {
    const policy = (await get('/chats')).headers.get('content-security-policy')!;
    const parsed = directives(policy);
    expect(parsed.get('script-src')).toEqual([
      "'self'",
      `'nonce-${nonceOf(policy)}'`,
      "'strict-dynamic'",
    ]);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toMatch(/https?:|\*/);
    expect(Object.fromEntries(parsed)).toMatchObject({
      'default-src': ["'self'"],
      'style-src': ["'self'", `'nonce-${nonceOf(policy)}'`],
      'connect-src': ["'self'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'manifest-src': ["'self'"],
      'worker-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it.each(['/chats', '/sign-up', '/no-such-page'])('is on %s too', async (path) => {
    const response = await get(path);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/'nonce-[^']+'/);
  });

  it('is on the admin page', async () => {
    const response = await get('/admin', { cookie: admin.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/'nonce-[^']+'/);
  });
});

/** One of each kind of response: pages, API, Socket.IO, operational endpoints, files. */
const ENDPOINTS: [string, () => Promise<Response>][] = [
  ['a page', () => get('/sign-in')],
  ['a missing page', () => get('/no-such-page')],
  ['an API route', () => get('/api/auth/session')],
  ['a missing API route', () => get('/api/no-such-route')],
  [
    'an API error',
    () => fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', body: 'not json' }),
  ],
  ['Socket.IO long-polling', () => get('/socket.io/?EIO=4&transport=polling')],
  ['a refused Socket.IO handshake', () => get('/socket.io/?EIO=4&transport=bogus')],
  ['/healthz', () => get('/healthz')],
  ['/readyz', () => get('/readyz')],
  ['/metrics', () => get('/metrics')],
  ['the manifest', () => get('/manifest.webmanifest')],
  ['an icon', () => get('/icons/icon-192.png')],
  ['the service worker', () => get('/sw.js')],
];

describe('the headers of every response', () => {
  it.each(ENDPOINTS)('are on %s', async (_, request) => {
    const response = await request();
    await response.arrayBuffer();
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'permissions-policy': expect.stringMatching(/camera=\(\).*microphone=\(\)/),
    });
    // Plain HTTP: no HSTS.
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('include HSTS when a proxy says the client came over HTTPS, on every kind of response', async () => {
    const paths = [
      '/sign-in',
      '/api/auth/session',
      '/socket.io/?EIO=4&transport=polling',
      '/healthz',
      '/metrics',
      '/sw.js',
    ];
    for (const path of paths) {
      const secure = await get(path, { 'x-forwarded-proto': 'https' });
      expect(secure.headers.get('strict-transport-security'), path).toBe(
        'max-age=63072000; includeSubDomains',
      );
      const plain = await get(path, { 'x-forwarded-proto': 'http' });
      expect(plain.headers.get('strict-transport-security'), path).toBeNull();
      await Promise.all([secure.arrayBuffer(), plain.arrayBuffer()]);
    }
  });
});

/** Every state-changing endpoint of the REST contract (protocol/http.ts), as `METHOD /path`. */
function stateChangingRoutes(): string[] {
  return Object.values(httpEndpoints)
    .filter((endpoint) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(endpoint.method))
    .map((endpoint) => `${endpoint.method} ${endpoint.path}`)
    .sort();
}

const forgedEndpoint = `https://fcm.googleapis.com/fcm/send/forged-${randomBytes(6).toString('hex')}`;
const keptEndpoint = `https://fcm.googleapis.com/fcm/send/kept-${randomBytes(6).toString('hex')}`;
const forgedSignUps: string[] = [];

function subscription(endpoint: string) {
  return {
    endpoint,
    expirationTime: null,
    keys: {
      p256dh: randomBytes(65).toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

/** A body each route would accept, so that the origin is the only reason to refuse it. */
const VALID_BODIES: Record<string, () => unknown> = {
  'POST /api/auth/sign-up': () => {
    const username = uniqueName('forged');
    forgedSignUps.push(username);
    return { username, password: PASSWORD };
  },
  'POST /api/auth/sign-in': () => ({ username: adminName, password: PASSWORD }),
  'PUT /api/admin/settings': () => ({ maxGroupSize: 3, maxMessageLength: 10 }),
  'POST /api/push/subscriptions': () => subscription(forgedEndpoint),
  'DELETE /api/push/subscriptions': () => ({ endpoint: keptEndpoint }),
};

const FORGERIES: [string, Record<string, string>][] = [
  ['a foreign Origin', { origin: 'https://evil.example' }],
  ['the same host on another port', { origin: 'http://127.0.0.1:1' }],
  ['Origin null', { origin: 'null' }],
  ['Sec-Fetch-Site cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
  [
    'Sec-Fetch-Site cross-site with our own Origin',
    { 'sec-fetch-site': 'cross-site', origin: 'OWN' },
  ],
  ['our host and port over HTTPS, to a server reached over HTTP', { origin: 'OWN_HTTPS' }],
  [
    'our host and port over HTTP, when the proxy says the client came over HTTPS',
    { origin: 'OWN', 'x-forwarded-proto': 'https' },
  ],
];

/** The headers, with OWN and OWN_HTTPS replaced by the server's origin over HTTP and HTTPS. */
function withOwnOrigin(headers: Record<string, string>): Record<string, string> {
  const own = { OWN: server.url, OWN_HTTPS: server.url.replace(/^http:/, 'https:') };
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      value === 'OWN' || value === 'OWN_HTTPS' ? own[value] : value,
    ]),
  );
}

async function send(route: string, headers: Record<string, string>) {
  const [method, path] = route.split(' ') as [string, string];
  const body = VALID_BODIES[route]?.() ?? {};
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      cookie: admin.cookie,
      ...withOwnOrigin(headers),
    },
    body: JSON.stringify(body),
  });
  return { response, text: await response.text() };
}

describe('state-changing requests from other sites', () => {
  it('are found in every endpoint that changes state', () => {
    expect(stateChangingRoutes()).toEqual(
      expect.arrayContaining([
        'DELETE /api/push/subscriptions',
        'POST /api/auth/sign-in',
        'POST /api/auth/sign-out',
        'POST /api/auth/sign-up',
        'POST /api/push/subscriptions',
        'PUT /api/admin/settings',
      ]),
    );
  });

  it('pass when they come from the app itself (the control)', async () => {
    const { response } = await send('POST /api/push/subscriptions', {
      origin: server.url,
      'sec-fetch-site': 'same-origin',
    });
    expect(response.status).toBe(201);
    const kept = await fetch(`${server.url}/api/push/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, origin: server.url },
      body: JSON.stringify(subscription(keptEndpoint)),
    });
    expect(kept.status).toBe(201);
    // The control stored the forged endpoint legitimately: remove it again, so that the end
    // of this file can check that no forgery stored it.
    const removed = await fetch(`${server.url}/api/push/subscriptions`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ endpoint: forgedEndpoint }),
    });
    expect(removed.status).toBe(200);
  });

  it('pass from our own origin over HTTPS when the proxy says the client came over HTTPS', async () => {
    const response = await fetch(`${server.url}/api/auth/sign-up`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: server.url.replace(/^http:/, 'https:'),
        'x-forwarded-proto': 'https',
      },
      body: JSON.stringify({ username: uniqueName('proxied'), password: PASSWORD }),
    });
    expect(response.status).toBe(201);
  });

  describe.each(FORGERIES)('with %s', (_, headers) => {
    it.each(stateChangingRoutes())(
      '%s is refused with 403 and a clear JSON error',
      async (route) => {
        const { response, text } = await send(route, headers);
        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(JSON.parse(text)).toEqual({
          ok: false,
          code: 'FORBIDDEN',
          message: 'This request must come from the Parley app itself.',
        });
        expect(response.headers.get('set-cookie')).toBeNull();
      },
    );
  });

  it('left the session signed in and the settings unchanged', async () => {
    const session = await get('/api/auth/session', { cookie: admin.cookie });
    expect(session.status).toBe(200);
    const settings = await get('/api/admin/settings', { cookie: admin.cookie });
    expect(await settings.json()).toMatchObject({
      settings: { maxGroupSize: 256, maxMessageLength: 100_000 },
    });
  });
});

/** The body as a form would post it: the route's fields, URL-encoded. */
function asForm(body: unknown): string {
  return new URLSearchParams(
    Object.entries(body as Record<string, unknown>).map(([name, value]) => [name, String(value)]),
  ).toString();
}

describe('state-changing requests that are not JSON', () => {
  it.each(
    stateChangingRoutes().flatMap((route) =>
      [
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'text/plain;charset=UTF-8',
        'application/jsonp',
        null,
      ].map((type) => [route, type] as const),
    ),
  )(
    '%s with Content-Type %s and no Origin is refused with 415 and a clear JSON error',
    async (route, type) => {
      const [method, path] = route.split(' ') as [string, string];
      const body = asForm(VALID_BODIES[route]?.() ?? {});
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { cookie: admin.cookie, ...(type ? { 'content-type': type } : {}) },
        // Bytes, so that fetch adds no Content-Type of its own.
        body: new TextEncoder().encode(body),
      });
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        ok: false,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Send the request as JSON, with the header Content-Type: application/json.',
      });
      expect(response.headers.get('set-cookie')).toBeNull();
    },
  );
});

describe('Socket.IO handshakes from other sites', () => {
  const handshake = (headers: Record<string, string>) =>
    get('/socket.io/?EIO=4&transport=polling', { cookie: admin.cookie, ...withOwnOrigin(headers) });

  it.each([
    ['the app’s own origin', { origin: 'OWN', 'sec-fetch-site': 'same-origin' }],
    [
      'the app’s own origin over HTTPS when the proxy says the client came over HTTPS',
      { origin: 'OWN_HTTPS', 'x-forwarded-proto': 'https' },
    ],
  ])('are accepted from %s', async (_, headers) => {
    const response = await handshake(headers);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^0\{"sid":/);
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin null', { origin: 'null' }],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['our host and port over HTTPS, to a server reached over HTTP', { origin: 'OWN_HTTPS' }],
    [
      'our host and port over HTTP, when the proxy says the client came over HTTPS',
      { origin: 'OWN', 'x-forwarded-proto': 'https' },
    ],
  ])('are refused with %s, over long-polling and WebSocket', async (_, headers) => {
    const response = await handshake(headers);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ message: 'Origin not allowed' });

    const socket = io(server.url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: admin.cookie, ...withOwnOrigin(headers) },
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', () => resolve('refused'));
    });
    socket.close();
    expect(outcome).toBe('refused');
  });
});

/** Nothing a stack, a query or a file path would leave in a response. */
function expectNothingInternal(text: string) {
  expect(text).not.toMatch(/\sat \S+ \(|:\d+:\d+\)|node_modules|\.tsx?:\d/);
  expect(text).not.toMatch(/Failed query|params:|select |delete |token_hash|sessions/i);
}

describe('errors', () => {
  it.each([
    ['POST', '/api/auth/sign-in', 'sign-in'],
    ['GET', '/api/auth/session', 'session'],
    ['PUT', '/api/admin/settings', 'admin.update-settings'],
  ])(
    'answer an unexpected failure (%s %s) with a generic INTERNAL, and log it',
    async (method, path, routeName) => {
      // The http-error failpoint: the request fails as a query would, SQL and parameters in
      // the error.
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          cookie: admin.cookie,
          'x-parley-failpoint': 'http-error',
        },
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({
        ok: false,
        code: 'INTERNAL',
        message: 'Something went wrong on the server. Please try again.',
      });
      expectNothingInternal(text);
      expect(text).not.toContain('failpoint-secret');
      const logged = await server.waitForLog(
        (entry) => entry.event === 'http.handler-failed' && entry.route === routeName,
      );
      expect(logged.err).toMatchObject({ name: 'DrizzleQueryError' });
      // Logged without the query's parameters either.
      expect(JSON.stringify(logged)).not.toContain('failpoint-secret');
    },
  );

  it('answer a missing API route with a JSON 404', async () => {
    const response = await fetch(`${server.url}/api/no-such-route`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'No such API endpoint.',
    });
  });

  it('answer a method the endpoint does not take with a JSON 405 that names the allowed ones', async () => {
    const response = await fetch(`${server.url}/api/admin/settings`, { method: 'PATCH' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, PUT, HEAD, OPTIONS');
    expect(await response.json()).toEqual({
      ok: false,
      code: 'METHOD_NOT_ALLOWED',
      message: 'This endpoint takes GET or PUT only.',
    });
  });

  it.each(['/no-such-page', '/%E0%A4%A', '/chats/%00'])(
    'answer a missing or malformed page %s with a 404 page and nothing internal',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      expectNothingInternal(
        (await response.text()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, ''),
      );
    },
  );

  it('answer a malformed body with a clear 400', async () => {
    const response = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": ',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'The request body is not valid JSON.',
    });
    expectNothingInternal(text);
  });
});

/** One raw HTTP/1.1 exchange over TCP, the request line as given: the answer's head. */
function rawHttp(head: string): Promise<{ status: number; headers: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: hostname, port: Number(port) }, () => socket.write(head));
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const headers = text.split('\r\n\r\n')[0] ?? '';
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0), headers });
    });
  });
}

describe('request lines with an absolute URL', () => {
  it.each([
    'http://evil.example/x',
    'http://evil.example/sign-in',
    'https://evil.example/chats',
    'http://evil.example/api/auth/session',
    'http://evil.example/healthz',
    'http://evil.example/socket.io/?EIO=4&transport=polling',
    'OWN/sign-in',
  ])('%s is answered 400, never a redirect', async (target) => {
    const { status, headers } = await rawHttp(
      `GET ${target.replace('OWN', server.url)} HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\n` +
        'Connection: close\r\n\r\n',
    );
    expect(status).toBe(400);
    expect(headers).not.toMatch(/^location:/im);
    // The headers of every response, this one too.
    expect(headers).toMatch(/^x-content-type-options: nosniff$/im);
  });

  it('leave ordinary request lines alone (the control)', async () => {
    const { status } = await rawHttp(
      `GET /healthz HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nConnection: close\r\n\r\n`,
    );
    expect(status).toBe(200);
  });
});

// Last: stops the server, since PGlite lets one process at a time open the database.
describe('what the refused requests stored', () => {
  it('is nothing', async () => {
    await server.stop();
    await withDatabase(database.serverOptions, async (db) => {
      expect(forgedSignUps.length).toBeGreaterThan(0);
      for (const username of forgedSignUps) {
        expect(await findUserByUsername(db, username)).toBeNull();
      }
      // The one session of the sign-in in beforeAll: no forged sign-in added any, and no
      // forged sign-out ended it.
      expect(await deleteSessionsOfUser(db, admin.user.id)).toHaveLength(1);
      expect(await deletePushSubscription(db, forgedEndpoint, admin.user.id)).toBe(false);
      expect(await deletePushSubscription(db, keptEndpoint, admin.user.id)).toBe(true);
      const settings = await readSettings(db);
      expect(settings.maxGroupSize).toBeUndefined();
      expect(settings.maxMessageLength).toBeUndefined();
    });
  });
});
