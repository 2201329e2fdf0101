// The node listens with the accept queue LISTEN_BACKLOG asks for (server/config.ts). Node gives
// no way to read a listening socket's backlog, but the kernel does: `ss` shows it as the Send-Q
// of a socket in LISTEN, capped by net.core.somaxconn.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startServer, type TestServer } from '../helpers/server';

const BACKLOG = 1234;

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer({
    ...database.serverOptions,
    env: { LISTEN_BACKLOG: String(BACKLOG) },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** The accept queue's size of the socket listening on `port`, as the kernel reports it. */
function listenBacklogOf(port: number): number {
  let output: string;
  try {
    output = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  } catch (error) {
    throw new Error('This test reads the backlog with `ss` (Debian package iproute2).', {
      cause: error,
    });
  }
  const [line, ...others] = output.trim().split('\n');
  expect(others, output).toEqual([]);
  const [state, , sendQ] = line!.trim().split(/\s+/);
  expect(state).toBe('LISTEN');
  return Number(sendQ);
}

it('listens with the backlog LISTEN_BACKLOG asks for, as far as the kernel allows', () => {
  const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  expect(listenBacklogOf(server.port)).toBe(Math.min(BACKLOG, somaxconn));
});
