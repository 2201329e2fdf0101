import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';
import type { AuthenticatedSession } from '../auth/sessions';

export type SocketData = AuthenticatedSession;

/** Between the nodes of a cluster, through the Redis adapter. */
export interface InterServerEvents {
  'settings:changed': () => void;
}

export type ParleyIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type ParleySocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
