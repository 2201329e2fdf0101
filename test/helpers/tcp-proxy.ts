// A TCP proxy in front of a server (the test PostgreSQL), so that a test can make it
// unreachable for one server of its own without touching anyone else's connections: `refuse`
// cuts every connection and refuses new ones (a database that is down), `blackhole` accepts
// connections and never answers (a network that drops packets).

import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  mode(mode: 'forward' | 'refuse' | 'blackhole'): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let current: 'forward' | 'refuse' | 'blackhole' = 'forward';
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (current !== 'forward') return; // blackhole: hold it, say nothing
    const upstream = createConnection(target);
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const port = await listen(0);
  return {
    port,
    async mode(mode) {
      for (const socket of sockets) socket.destroy();
      if (mode === 'refuse' && server.listening) await stopListening();
      if (mode !== 'refuse' && !server.listening) await listen(port);
      current = mode;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await stopListening();
    },
  };
}
