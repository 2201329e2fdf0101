// Engine.IO v4 / Socket.IO v5 spoken by hand over the `ws` package, for frames that
// socket.io-client would never send: broken JSON, lying attachment counts, invalid UTF-8.
//
// The wire, briefly: the server opens with `0{"sid",…}`; the client joins the main namespace
// with `40`; events are `42[name, …args]`, with an ack id after the type (`4217[…]`), answered by
// `4317[…]`; the server pings with `2`, the client answers `3`. Binary attachments are announced
// as `45<count>-[…{"_placeholder":true,"num":i}…]` and follow as binary frames.

import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';

export interface RawSocket {
  /** Every text frame the server sent after `40`, in order. */
  frames: string[];
  /** Settles when the connection closes, with the close code (1005: closed without a status). */
  closed: Promise<{ code: number }>;
  isOpen(): boolean;
  /** A frame exactly as given: text, or a Buffer sent as binary unless `{ binary: false }`. */
  send(frame: string | Buffer, options?: { binary?: boolean }): void;
  /** Sends `42<id>` + `json` (the JSON array written by hand) and resolves with the ack's data. */
  sendWithAck(json: string): Promise<unknown>;
  /** Sends an event with an ack, like emitWithAck, with any name and arguments. */
  emitWithAck(event: unknown, ...args: unknown[]): Promise<unknown>;
  close(): void;
}

export function socketUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
}

/** Opens a WebSocket with the cookie, joins the main namespace and waits for session:ready. */
export function openRawSocket(baseUrl: string, cookie: string): Promise<RawSocket> {
  const ws = new WebSocket(socketUrl(baseUrl), { headers: { cookie } });
  const frames: string[] = [];
  const ackWaiters = new Map<number, (data: unknown) => void>();
  let nextAckId = 1;
  const closed = new Promise<{ code: number }>((resolve) => {
    ws.on('close', (code) => resolve({ code }));
  });
  // A connection the server drops on purpose may also report an error (e.g. a reset): the
  // `closed` promise says what happened; an unhandled 'error' event would crash the test run.
  ws.on('error', () => {});

  const sendWithAck = (json: string) => {
    const id = nextAckId++;
    const answered = new Promise<unknown>((resolve) => ackWaiters.set(id, resolve));
    ws.send(`42${id}${json}`);
    return answered;
  };
  const socket: RawSocket = {
    frames,
    closed,
    isOpen: () => ws.readyState === WebSocket.OPEN,
    send: (frame, options) => {
      ws.send(frame, { binary: options?.binary ?? typeof frame !== 'string' });
    },
    sendWithAck,
    emitWithAck: (event, ...args) => sendWithAck(JSON.stringify([event, ...args])),
    close: () => ws.terminate(),
  };

  return new Promise((resolve, reject) => {
    void closed.then(({ code }) => reject(new Error(`closed with ${code} before session:ready`)));
    ws.on('unexpected-response', (_request, response: IncomingMessage) => {
      reject(new Error(`handshake answered ${response.statusCode}`));
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text.startsWith('0{')) {
        ws.send('40');
        return;
      }
      if (text === '2') {
        ws.send('3');
        return;
      }
      if (text.startsWith('40')) return;
      frames.push(text);
      const ack = /^43(\d+)(\[[\s\S]*\])$/.exec(text);
      if (ack) {
        const waiter = ackWaiters.get(Number(ack[1]));
        ackWaiters.delete(Number(ack[1]));
        waiter?.((JSON.parse(ack[2]!) as unknown[])[0]);
        return;
      }
      if (text.startsWith('42["session:ready"')) resolve(socket);
    });
  });
}

/**
 * Tries a WebSocket handshake with these headers and resolves with the HTTP status of a refusal
 * (e.g. 431), or 101 if the connection opened (it is closed again at once).
 */
export function tryHandshake(baseUrl: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(baseUrl), { headers });
    ws.on('unexpected-response', (_request, response: IncomingMessage) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.on('error', reject);
  });
}
