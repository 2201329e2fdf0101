// The chat client's transport against a real Socket.IO server in this process: acks come
// back typed, a request nobody answers resolves as TIMEOUT, connection changes are reported,
// and a handshake the server could not take now is tried again.

import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport, type ConnectionStatus } from '../../hooks/client/transport';
import { ClientEvent, ErrorCode } from '../../protocol';

let http: HttpServer;
let io: Server;
let url: string;
const transports: Transport[] = [];
/** Handshakes the server refuses next, as Parley's does when it cannot check the session. */
let refusalsLeft = 0;

beforeAll(async () => {
  http = createServer();
  io = new Server(http);
  io.use((_socket, next) => {
    if (refusalsLeft === 0) return next();
    refusalsLeft--;
    const message = 'Could not check the session. Retrying.';
    next(Object.assign(new Error(message), { data: { code: ErrorCode.Internal, message } }));
  });
  io.on('connection', (socket) => {
    socket.on(ClientEvent.ConversationList, (_payload: unknown, ack: (answer: unknown) => void) =>
      ack({ ok: true, conversations: [] }),
    );
    // Never answered: a server that is too slow, or a frame lost with its connection.
    socket.on(ClientEvent.MessageHistory, () => undefined);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const transport of transports) transport.close();
  await io.close();
});

function connectedTransport(requestTimeoutMs: number) {
  const transport = new Transport({
    url,
    requestTimeoutMs,
    socketOptions: { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 100 },
  });
  transports.push(transport);
  const statuses: ConnectionStatus['connection'][] = [];
  const online = () =>
    new Promise<void>((resolve) => {
      const stop = transport.onStatus(({ connection }) => {
        if (connection !== 'online') return;
        stop();
        resolve();
      });
    });
  transport.onStatus(({ connection }) => statuses.push(connection));
  const ready = online();
  transport.open();
  return { transport, statuses, ready, online };
}

describe('the transport', () => {
  it('resolves a request with the server’s ack', async () => {
    const { transport, ready } = connectedTransport(5_000);
    await ready;
    expect(await transport.request(ClientEvent.ConversationList, {})).toEqual({
      ok: true,
      conversations: [],
    });
  });

  it('resolves a request nobody answers as TIMEOUT once its time is up', async () => {
    const { transport, ready } = connectedTransport(200);
    await ready;
    const startedAt = performance.now();
    const answer = await transport.request(ClientEvent.MessageHistory, { conversationId: 'c1' });
    expect(answer).toEqual({
      ok: false,
      code: 'TIMEOUT',
      message: 'The server did not answer in time.',
    });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(190);
  });

  it('reports a dropped connection as connecting, then online again when it is back', async () => {
    const { transport, statuses, ready, online } = connectedTransport(5_000);
    await ready;
    const back = online();
    transport.drop();
    await back;
    expect(statuses).toEqual(['online', 'connecting', 'online']);
    expect(transport.isConnected).toBe(true);
  });

  it('tries a handshake the server refused for a passing failure again, until it is taken', async () => {
    // socket.io-client never retries a handshake a middleware refused.
    refusalsLeft = 2;
    const { transport, statuses, ready } = connectedTransport(5_000);
    await ready;
    expect(refusalsLeft).toBe(0);
    expect(statuses).toEqual(['connecting', 'connecting', 'online']);
    expect(transport.isConnected).toBe(true);
  });
});
