// The order in which one socket's events arrived. Handlers run concurrently and finish in any
// order (one waits longer for the database than the next), so what they tell others must carry
// the arrival order when a later event must win: "typing" after "stopped" (server/realtime/typing.ts).

import { randomUUID } from 'node:crypto';
import type { ParleySocket } from './types';

interface Arrivals {
  /** An opaque id of the socket for other people's clients (not the Socket.IO id). */
  device: string;
  last: number;
}

const arrivals = new WeakMap<ParleySocket, Arrivals>();

function arrivalsOf(socket: ParleySocket): Arrivals {
  let found = arrivals.get(socket);
  if (!found) {
    found = { device: randomUUID(), last: 0 };
    arrivals.set(socket, found);
  }
  return found;
}

/** The next number of this socket: call it when an event arrives, before anything waits. */
export function nextArrival(socket: ParleySocket): number {
  return ++arrivalsOf(socket).last;
}

export function deviceOf(socket: ParleySocket): string {
  return arrivalsOf(socket).device;
}
