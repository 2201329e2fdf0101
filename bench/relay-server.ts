// The baseline: a bare Socket.IO relay with the same server options as Parley, and nothing
// else: no session, no database, no validation beyond the shape. Each client joins the room
// it names; a send goes to the rooms listed and is acked at once. What Parley adds on top of
// this (authentication, membership, durable ordered storage) is what the ratio measures.

import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { SOCKET_MAX_FRAME_BYTES } from '../protocol';
import { RELAY_MESSAGE, RELAY_SEND, type RelayMessage } from './protocol';

interface RelaySend {
  conversationId: string;
  to: string[];
  body: string;
}

const httpServer = createServer();
const io = new Server(httpServer, {
  serveClient: false,
  maxHttpBufferSize: SOCKET_MAX_FRAME_BYTES,
});

io.on('connection', (socket) => {
  const auth = socket.handshake.auth as { room?: unknown; rooms?: unknown };
  const room = String(auth.room ?? '');
  const others = Array.isArray(auth.rooms) ? auth.rooms.map(String) : [];
  void socket.join([room, ...others]);
  socket.on(RELAY_SEND, (payload: RelaySend, ack: (response: { ok: boolean }) => void) => {
    if (typeof ack !== 'function') return;
    if (!payload || !Array.isArray(payload.to) || typeof payload.body !== 'string') {
      ack({ ok: false });
      return;
    }
    const message: RelayMessage = {
      conversationId: payload.conversationId,
      from: room,
      body: payload.body,
    };
    // Like Parley: every socket of the members but the sending one, which has the ack.
    io.to([room, ...payload.to])
      .except(socket.id)
      .emit(RELAY_MESSAGE, message);
    ack({ ok: true });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(JSON.stringify({ event: 'relay.listening', port }));
});

process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
