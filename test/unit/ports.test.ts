// The ports the tests give the servers they start as processes (test/helpers/ports.ts). A port
// in the kernel's ephemeral range can be taken, between the check and the child's listen, by
// any outgoing connection on the machine: a cluster test once failed with EADDRINUSE that way.
// Below that range, each test worker once had a block of its own, and a cluster test failed the
// same way again: two processes with one worker's number (a second test run beside the first, a
// benchmark run a test starts) were handed the same port.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { PROJECT_ROOT } from '../helpers/paths';

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

/** A process that takes `count` ports, prints them and holds them until its input ends. */
function portTaker(count: number, env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { freePort } from './test/helpers/ports.ts';
       const ports = [];
       for (let index = 0; index < ${count}; index++) ports.push(await freePort());
       console.log(JSON.stringify(ports));
       process.stdin.resume();`,
    ],
    { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const ports = new Promise<number[]>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve(JSON.parse(line) as number[]),
    );
    child.once('exit', (code) => reject(new Error(`the port taker exited with code ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    ports,
    end: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

describe('free ports for test servers', () => {
  // (Not on Linux, a port is the kernel's choice, and nothing holds it.)
  it.runIf(ephemeralLow() !== undefined)(
    'are never handed to two processes at once, even two of one test worker',
    async () => {
      // As a benchmark run the quick test starts, or a second test run on the machine, would be.
      const env = { VITEST_POOL_ID: '1', TEST_PARALLEL_INDEX: '1' };
      const takers = [portTaker(600, env), portTaker(600, env)];
      try {
        const [first, second] = await Promise.all(takers.map((taker) => taker.ports));
        const shared = first!.filter((port) => second!.includes(port));
        expect(shared).toEqual([]);
      } finally {
        await Promise.all(takers.map((taker) => taker.end()));
      }
    },
  );

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
});
