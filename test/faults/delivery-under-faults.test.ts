// The delivery guarantee under faults, on one node. Four people on two devices each exchange
// a steady stream of messages, some of them replies, in all six of their direct conversations
// and two groups, and edit, delete (for everyone, group admins others' messages too, or for
// themselves), react to and forward them, while the suite kills the server with SIGKILL and
// restarts it, crashes and restarts PostgreSQL, and drops client connections in the middle of
// sends. Afterwards every acked message and forwarded copy must be held exactly once, in
// order, by every device it belongs on, and stored once; every device must hold each message
// (text, edited, deleted and by whom, forwarded, reactions, hidden, a reply's quote) as the
// database says its user sees it; and every acked change must be stored, once.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSettings } from '../../db';
import { withDatabase } from '../helpers/database';
import { freePort } from '../helpers/ports';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';
import { makeTempDir } from '../helpers/paths';
import { startProcessServer, type ProcessServer } from '../helpers/process-server';
import { DeliveryRun } from './harness';

let cluster: PostgresCluster;
let server: ProcessServer;
let run: DeliveryRun;

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 120_000);

afterAll(async () => {
  run?.stop();
  await server?.stop();
  cluster?.destroy();
});

it('keeps every acked message and change exactly once, in order, on every device, through crashes and drops', async () => {
  const port = await freePort();
  const dataDir = makeTempDir();
  // Each person sends 20 messages a second from two devices: far beyond the default limits.
  await withDatabase({ databaseUrl: cluster.url, dataDir }, (db) =>
    writeSettings(db, GENEROUS_LIMITS),
  );
  server = await startProcessServer({ databaseUrl: cluster.url, port, dataDir });
  run = new DeliveryRun({
    serverUrl: server.url,
    people: 4,
    devicesPerPerson: 2,
    deviceUrl: () => server.url,
  });
  await run.setUp();
  run.startTraffic({ everyMs: 100, changeEveryMs: 250, dropEvery: 25 });

  // (a) The server dies by SIGKILL mid-traffic and comes back on the same port.
  await run.moreAcks(300);
  await server.kill();
  server = await startProcessServer({ databaseUrl: cluster.url, port, dataDir });

  // (b) PostgreSQL crashes (immediate shutdown, recovery at start) and comes back.
  await run.moreAcks(300);
  await cluster.crashAndRestart();
  await run.moreAcks(300);

  const result = await run.finish(cluster.url);
  expect(result.violations).toEqual([]);
  const changes = run.changes.counts();
  console.info(
    `fault suite: ${result.stored} messages (${result.replies} replies) in ${result.conversations} conversations on ${run.devices.length} devices, all delivered once, in order; ${changes.ok} changes acked (${changes.failed} failed; ${changes.byAdmins} admins' deletions of others' messages), ${changes.forwarded} forwards acked (${changes.forwardsFailed} failed), every device as stored`,
  );
}, 300_000);
