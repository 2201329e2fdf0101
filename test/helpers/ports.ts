// Ports for the servers tests start as processes (Parley nodes, nginx, Redis, PostgreSQL), which
// must be known before they start or kept across a restart. A port from listen(0) lies in the
// kernel's ephemeral range, where outgoing connections take their local ports too: between the
// check and the child's listen, any connection to PostgreSQL or Redis on the machine could take
// it, and the child fails with EADDRINUSE. So these ports come from below that range, where only
// servers asking for a port by number listen.
//
// Those are other test processes: two test runs side by side, or a benchmark run a test starts,
// pick from the same ports. So a process reserves each port it hands out for as long as it
// lives, by binding a UDP socket to the same number: TCP and UDP ports are apart, so the child
// listens over TCP undisturbed, while no other process can bind that UDP port and so skips the
// number. The kernel lets the reservation go when the process ends, however it ends.

import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Below this, well-known services listen. */
const FIRST_PORT = 10_000;

function ephemeralLow(): number | undefined {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > FIRST_PORT ? value : undefined;
  } catch {
    return undefined; // not Linux: the kernel's choice it is
  }
}

const low = ephemeralLow();
/** Where this process looks next: a random start, so that processes picking ports at the same
 *  time mostly look at different ones. */
let next = low === undefined ? 0 : FIRST_PORT + randomInt(low - FIRST_PORT);
const handedOut = new Set<number>();
/** The UDP sockets that hold this process's ports, kept from the garbage collector. */
const reservations: Socket[] = [];

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : undefined),
      );
    });
  });
}

/** A UDP socket bound to `port`, or undefined when another process holds that port. */
function reserve(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind({ port, address: '127.0.0.1', exclusive: true }, () => {
      socket.unref(); // a reservation does not keep the process alive
      resolve(socket);
    });
  });
}

/**
 * A TCP port nothing listened on a moment ago, never handed out before by this process and held
 * from other processes' freePort() for as long as this one lives.
 */
export async function freePort(): Promise<number> {
  if (low === undefined) {
    const port = await listenOnce(0);
    if (port === undefined) throw new Error('The kernel gave no port to listen on.');
    return port;
  }
  for (let tries = 0; tries < low - FIRST_PORT; tries++) {
    const port = next;
    next = next + 1 < low ? next + 1 : FIRST_PORT;
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    const reservation = await reserve(port);
    if (!reservation) continue;
    if ((await listenOnce(port)) !== undefined) {
      reservations.push(reservation);
      return port;
    }
    reservation.close();
  }
  throw new Error(`No free port left in ${FIRST_PORT}-${low - 1}.`);
}
