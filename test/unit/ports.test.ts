// The ports the tests give the servers they start as processes (test/helpers/ports.ts). A port
// in the kernel's ephemeral range can be taken, between the check and the child's listen, by
// any outgoing connection on the machine: a cluster test once failed with EADDRINUSE that way.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, portBlock } from '../helpers/ports';

function ephemeralLow(): number | undefined {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    return Number(low);
  } catch {
    return undefined;
  }
}

describe('free ports for test servers', () => {
  it.runIf(ephemeralLow() !== undefined)(
    'come from below the range the kernel gives outgoing connections',
    async () => {
      const low = ephemeralLow()!;
      for (let index = 0; index < 20; index++) expect(await freePort()).toBeLessThan(low);
    },
  );

  it('are never handed out twice by one process, and can be listened on', async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(50);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('skip a port something already listens on', async () => {
    // The ports after the last one handed out are the ones looked at next.
    const last = await freePort();
    const servers = [];
    for (let port = last + 1; port <= last + 5; port++) {
      const server = createServer();
      const listening = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (listening) servers.push({ server, port });
    }
    try {
      const port = await freePort();
      expect(servers.map((taken) => taken.port)).not.toContain(port);
    } finally {
      await Promise.all(
        servers.map(({ server }) => new Promise((resolve) => server.close(resolve))),
      );
    }
  });

  it('give side-by-side test workers blocks that do not overlap', () => {
    const blocks = [1, 2, 3, 4].map((worker) => portBlock(worker, 32_768)!);
    for (const [index, block] of blocks.entries()) {
      expect(block.to).toBeLessThanOrEqual(32_768);
      for (const other of blocks.slice(index + 1)) {
        expect(block.to <= other.from || other.to <= block.from).toBe(true);
      }
    }
    // No room below the range: the kernel's own choice is all there is.
    expect(portBlock(1, 1_024)).toBeUndefined();
  });
});
