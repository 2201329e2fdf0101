// Log canaries: secrets and message text planted in every place a request can carry them
// (passwords, message bodies, session tokens, cookies, and text inside requests that fail
// validation) must never reach the server's output, while the events worth logging (sign-up,
// sign-in, failed sign-in, refused payloads, sign-out) must, as structured JSON lines. The second
// half is what makes the first meaningful: a server that logged nothing would pass it.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByUsername, openDatabase } from '../../db';
import { safeError } from '../../server/logger';
import {
  call,
  callRaw,
  connect,
  cookieFrom,
  nextEvent,
  PASSWORD,
  postJson,
  signUp,
  uniqueName,
} from '../helpers/client';
import { createTestDatabase, withDatabase, type TestDatabase } from '../helpers/database';
import { startServer, type TestServer } from '../helpers/server';

const tag = randomUUID().replaceAll('-', '').slice(0, 12);
const canary = {
  password: `Canary-Password-${tag}`,
  wrongPassword: `Canary-Wrong-${tag}`,
  body: `canary-body-${tag}`,
  /** Text inside requests that are refused. */
  invalid: `canary-invalid-${tag}`,
  /** A cookie value that is not a session. */
  forgedToken: `canary-forged-${tag}`,
  eventName: `canary-event-${tag}`,
  /** A well-formed username nobody has. */
  username: `canary_nobody_${tag}`,
  /** Not asked for by anyone, but a request can still carry it in a header. */
  header: `canary-header-${tag}`,
};

let database: TestDatabase;
let server: TestServer;
/** Whatever was written to stdout, stderr or the console while the server ran. */
let stray = '';
let stopCapturing: () => void;
/** Everything the server wrote: its log, and anything else that reached the output. */
let output = '';

/** Copies what goes to stdout, stderr and the console (still passed on) into `stray`. */
function captureOutput(): () => void {
  const restores: (() => void)[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      stray += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    restores.push(() => {
      stream.write = write;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      stray += `${args.map(String).join(' ')}\n`;
      original(...args);
    };
    restores.push(() => {
      console[method] = original;
    });
  }
  return () => restores.forEach((restore) => restore());
}

beforeAll(async () => {
  database = await createTestDatabase();
  stopCapturing = captureOutput();
  // The most verbose level: whatever the server can log, it logs.
  server = await startServer({ ...database.serverOptions, env: { LOG_LEVEL: 'trace' } });
});

afterAll(async () => {
  stopCapturing?.();
  await server?.stop();
  await database?.drop();
});

describe('the server log', () => {
  /** Session tokens handed out during the test: each one is a canary too. */
  const tokens: string[] = [];

  it('never contains a password, message body, token, cookie or refused text', async () => {
    const url = server.url;
    const username = uniqueName('canary');
    const signedUp = await postJson(url, '/api/auth/sign-up', {
      username,
      password: canary.password,
    });
    expect(signedUp.status).toBe(201);
    const cookie = cookieFrom(signedUp.setCookie);
    tokens.push(cookie.slice(cookie.indexOf('=') + 1));
    const bob = await signUp(url, 'bob');
    tokens.push(bob.cookie.slice(bob.cookie.indexOf('=') + 1));

    // A wrong password, then the right one (a second token).
    const wrong = await postJson(url, '/api/auth/sign-in', {
      username,
      password: canary.wrongPassword,
    });
    expect(wrong.status).toBe(401);
    const signedIn = await postJson(url, '/api/auth/sign-in', {
      username,
      password: canary.password,
    });
    expect(signedIn.status).toBe(200);
    const secondCookie = cookieFrom(signedIn.setCookie);
    tokens.push(secondCookie.slice(secondCookie.indexOf('=') + 1));

    // The token in use, over HTTP and on a socket, with a header nobody reads.
    const session = await fetch(`${url}/api/auth/session`, {
      headers: { cookie, 'x-canary': canary.header },
    });
    expect(session.status).toBe(200);
    const alice = await connect(url, { cookie });
    const bobSocket = await connect(url, bob);
    const started = await call(alice.socket, 'conversation:start', {
      username: bob.user.username,
    });
    if (!started.ok) throw new Error(started.message);
    const conversationId = started.conversation.id;
    const delivered = nextEvent(bobSocket.socket, 'message:created');
    const sent = await call(alice.socket, 'message:send', {
      conversationId,
      clientMsgId: randomUUID(),
      body: canary.body,
    });
    expect(sent).toMatchObject({ ok: true, message: { body: canary.body } });
    expect(await delivered).toMatchObject({ body: canary.body });

    // Refused requests with the canary inside them.
    const refusals: [string, unknown[]][] = [
      [
        'message:send',
        [{ conversationId, clientMsgId: randomUUID(), body: 'x', x: canary.invalid }],
      ],
      [
        'message:send',
        [{ conversationId, clientMsgId: randomUUID(), body: `${canary.invalid}\u0000` }],
      ],
      ['message:send', [{ conversationId, clientMsgId: canary.invalid, body: canary.invalid }]],
      [
        'group:create',
        [{ title: `${canary.invalid}\u0000`, usernames: [], clientRequestId: randomUUID() }],
      ],
      ['conversation:start', [{ username: canary.username }]],
      [canary.eventName, [{ body: canary.invalid }]],
    ];
    for (const [event, args] of refusals) {
      expect(await callRaw(alice.socket, event, ...args)).toMatchObject({ ok: false });
    }
    // Without an ack: ignored, and logged as such.
    (alice.socket as unknown as { emit(event: string, payload: unknown): void }).emit(
      'message:send',
      { conversationId, clientMsgId: randomUUID(), body: canary.invalid },
    );
    await server.waitForLog((entry) => entry.event === 'socket.missing-ack');
    const weak = uniqueName('weak');
    const httpRefusals: [string, unknown][] = [
      // Weak: contains the username.
      ['/api/auth/sign-up', { username: weak, password: `${weak}-${canary.invalid}` }],
      ['/api/auth/sign-up', { username: `bad name ${canary.invalid}`, password: PASSWORD }],
      ['/api/auth/sign-up', `{"username":"${canary.invalid}","password":"${canary.password}"`],
      // NUL reached the database here once, and the failed query was logged with its parameters.
      ['/api/auth/sign-in', { username: `${canary.invalid}\u0000`, password: canary.password }],
      ['/api/auth/sign-in', { username, password: canary.invalid, extra: canary.invalid }],
    ];
    for (const [path, body] of httpRefusals) {
      const response = await postJson(url, path, body);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    // A forged session token, on REST and on the socket handshake.
    const forged = `parley_session=${canary.forgedToken}`;
    expect((await fetch(`${url}/api/auth/session`, { headers: { cookie: forged } })).status).toBe(
      401,
    );
    await expect(connect(url, { cookie: forged })).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });

    alice.socket.close();
    bobSocket.socket.close();
    const signedOut = await postJson(url, '/api/auth/sign-out', {}, { cookie: secondCookie });
    expect(signedOut.status).toBe(200);
    await server.waitForLog((entry) => entry.event === 'auth.sign-out');

    // Stop the server so that everything it wrote has arrived.
    await server.stop();
    output = server.logText() + stray;
    const secrets = { ...canary, ...Object.fromEntries(tokens.map((t, i) => [`token${i}`, t])) };
    for (const [name, value] of Object.entries(secrets)) {
      expect(output.includes(value), `${name} appears in the log`).toBe(false);
    }
    // The tokens are base64url: look for their start too, in case a log cut them short.
    for (const token of tokens) expect(output).not.toContain(token.slice(0, 16));
  });

  it('records the auth events and the refused payloads as structured JSON lines', () => {
    // Relies on the output of the test above.
    const entries = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        level: expect.any(Number),
        time: expect.any(Number),
        msg: expect.any(String),
      });
    }
    const events = entries.map((entry) => entry.event);
    const count = (event: string) => events.filter((name) => name === event).length;
    expect(count('auth.sign-up')).toBe(2);
    expect(count('auth.sign-in')).toBe(1);
    expect(entries).toContainEqual(
      expect.objectContaining({ event: 'auth.sign-in-failed', reason: 'wrong-password' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ event: 'socket.invalid-payload', name: 'message:send' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ event: 'socket.invalid-payload', name: 'group:create' }),
    );
    expect(count('socket.unknown-event')).toBeGreaterThanOrEqual(1);
    expect(count('socket.missing-ack')).toBeGreaterThanOrEqual(1);
    expect(count('auth.sign-out')).toBe(1);
    // Who did it is there (an id), what they wrote is not.
    const failed = entries.find((entry) => entry.event === 'auth.sign-in-failed');
    expect(failed?.userId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  });

  /** What a query that must fail threw, and what the log gets of it. */
  async function failureOf(query: Promise<unknown>): Promise<{ error: Error; logged: string }> {
    const error = await query.then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(Error);
    return { error: error as Error, logged: JSON.stringify(safeError(error)) };
  }

  it('keeps the text of a failed query out of the error it logs', async () => {
    // A real query failure: PostgreSQL cannot take NUL in text. Drizzle puts the parameters into
    // the error's message, and so into the first lines of its stack.
    await server.stop(); // PGlite: the folder is free once the server is gone
    const { error, logged } = await failureOf(
      withDatabase(database.serverOptions, (db) =>
        findUserByUsername(db, `${canary.invalid}\u0000`),
      ),
    );
    expect(String(error.stack)).toContain(canary.invalid);
    expect(logged).not.toContain(canary.invalid);
    expect(JSON.parse(logged)).toMatchObject({
      sqlState: '22021',
      stack: expect.stringMatching(/^\s+at /),
    });
  });

  it('keeps the text of a query out of the error it logs when the database is gone', async () => {
    // No SQLSTATE here: the driver fails the query itself (a node closing its database while a
    // write still waits, or a database that cannot be reached), and drizzle's message still
    // carries the query and its parameters.
    await server.stop();
    const handle = await openDatabase(database.serverOptions);
    await handle.close();
    const { error, logged } = await failureOf(findUserByUsername(handle.db, canary.invalid));
    expect(error.message).toContain(canary.invalid);
    expect(logged).not.toContain(canary.invalid);
    expect(logged).not.toContain('select');
    expect(JSON.parse(logged)).toMatchObject({ stack: expect.stringMatching(/^\s+at /) });
  });
});
