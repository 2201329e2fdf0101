// The browser's REST helper (hooks/api.ts) against the real server: calls go by endpoint name
// from the contract, answers come back parsed, and failures (the server's, the network's, a
// stranger's answer) come back as results. `fetch` here behaves as a page's does: paths are
// relative to the page's origin and the session cookie is kept.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { callApi, NETWORK_FAILURE_MESSAGE } from '../../hooks/api';
import { PASSWORD, uniqueName } from '../helpers/client';
import { setupSuite } from '../helpers/suite';

const suite = setupSuite();

/** Like a page's fetch: relative to `origin`, with the cookie the server set. */
function useBrowserFetch(origin: () => string): void {
  const realFetch = globalThis.fetch;
  let cookie: string | undefined;
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    const response = await realFetch(new URL(input, origin()), { ...init, headers });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    return response;
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('callApi', () => {
  it('signs up, reads the session and signs out, each answer parsed with the contract', async () => {
    useBrowserFetch(() => suite.server.url);
    const username = uniqueName('caller');
    const signedUp = await callApi('signUp', { username, password: PASSWORD });
    expect(signedUp).toEqual({ ok: true, user: { id: expect.any(String), username } });

    const session = await callApi('session');
    expect(session).toEqual({
      ok: true,
      user: { id: signedUp.ok && signedUp.user.id, username },
      isAdmin: false,
    });
    expect(await callApi('signOut')).toEqual({ ok: true });
    expect(await callApi('session')).toEqual({
      ok: false,
      code: 'UNAUTHENTICATED',
      message: 'Not signed in.',
    });
  });

  it('returns a refusal of the server as a result with its code and sentence', async () => {
    useBrowserFetch(() => suite.server.url);
    const result = await callApi('signUp', { username: uniqueName('short'), password: 'short' });
    expect(result).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'Password must be at least 8 characters.',
      field: 'password',
    });
  });

  it('reports a server it cannot reach as NETWORK', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    useBrowserFetch(() => `http://127.0.0.1:${port}`);
    expect(await callApi('session')).toEqual({
      ok: false,
      code: 'NETWORK',
      message: NETWORK_FAILURE_MESSAGE,
    });
  });

  describe('behind a proxy that answers for the server', () => {
    let proxy: Server;
    beforeAll(async () => {
      proxy = createServer((_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise((resolve) => proxy.close(resolve)));

    it('reports an answer that is neither a success nor an error of the API as BAD_RESPONSE', async () => {
      useBrowserFetch(() => `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      expect(await callApi('session')).toEqual({
        ok: false,
        code: 'BAD_RESPONSE',
        message: 'The server gave an answer Parley cannot read (HTTP 502). Try again.',
      });
    });
  });
});
