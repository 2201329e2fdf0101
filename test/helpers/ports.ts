// Ports for the servers tests start as processes (Parley nodes, nginx, Redis, PostgreSQL), which
// must be known before they start or kept across a restart. A port from listen(0) lies in the
// kernel's ephemeral range, where outgoing connections take their local ports too: between the
// check and the child's listen, any connection to PostgreSQL or Redis on the machine could take
// it, and the child fails with EADDRINUSE. So these ports come from below that range, where only
// servers asking for a port by number listen, and each test worker has a block of its own.

import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const FIRST_PORT = 10_000;
const BLOCK_SIZE = 1_000;

export interface PortBlock {
  from: number;
  /** One past the last port of the block. */
  to: number;
}

/** Worker `worker`'s block of ports below `ephemeralLow`, or undefined when there is no room. */
export function portBlock(worker: number, ephemeralLow: number): PortBlock | undefined {
  const blocks = Math.floor((ephemeralLow - FIRST_PORT) / BLOCK_SIZE);
  if (blocks < 1) return undefined;
  const from = FIRST_PORT + (worker % blocks) * BLOCK_SIZE;
  return { from, to: from + BLOCK_SIZE };
}

function ephemeralLow(): number | undefined {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined; // not Linux: the kernel's choice it is
  }
}

/** Vitest's and Playwright's numbers for the workers that run side by side. */
function workerNumber(): number {
  const id = Number(process.env.VITEST_POOL_ID ?? process.env.TEST_PARALLEL_INDEX);
  return Number.isInteger(id) && id >= 0 ? id : process.pid;
}

const low = ephemeralLow();
const block = low === undefined ? undefined : portBlock(workerNumber(), low);
/** Where this process looks next: a random start, so that a child sharing its worker's number
 *  (a benchmark run the quick test starts) does not walk the same ports in step. */
let next = block ? block.from + randomInt(BLOCK_SIZE) : 0;
const handedOut = new Set<number>();

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

/** A TCP port nothing listened on a moment ago, never handed out before by this process. */
export async function freePort(): Promise<number> {
  if (!block) {
    const port = await listenOnce(0);
    if (port === undefined) throw new Error('The kernel gave no port to listen on.');
    return port;
  }
  for (let tries = 0; tries < BLOCK_SIZE; tries++) {
    const port = next;
    next = next + 1 < block.to ? next + 1 : block.from;
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if ((await listenOnce(port)) !== undefined) return port;
  }
  throw new Error(`No free port left in ${block.from}-${block.to - 1} for this test worker.`);
}
