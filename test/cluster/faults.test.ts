// The delivery guarantee on a cluster, for messages (replies and forwards among them) and for
// changes to them (edits, deletions, reactions): a node killed during traffic, and Redis
// restarted during traffic. Each case gets a cluster of its own (three nodes, PostgreSQL, Redis, nginx).

import { afterEach, expect, it } from 'vitest';
import { DeliveryRun } from '../faults/harness';
import {
  connectionsOn,
  startClusterEnvironment,
  type ClusterEnvironment,
} from '../helpers/cluster';
import { GENEROUS_LIMITS } from '../helpers/rate-limits';

let environment: ClusterEnvironment | undefined;
let run: DeliveryRun | undefined;

async function setUpCluster(): Promise<ClusterEnvironment> {
  environment = await startClusterEnvironment({
    nodes: 3,
    // Each person sends 20 messages a second from two devices: far beyond the defaults.
    settings: GENEROUS_LIMITS,
  });
  return environment;
}

afterEach(async () => {
  run?.stop();
  await environment?.stop();
  run = environment = undefined;
});

it('loses no message or change when a node is killed with SIGKILL during traffic', async () => {
  const { cluster, databaseUrl } = await setUpCluster();
  // Devices come through nginx from addresses of their own, so that its hash spreads them.
  run = new DeliveryRun({
    serverUrl: cluster.url,
    people: 4,
    devicesPerPerson: 2,
    deviceUrl: () => cluster.url,
    deviceSocketOptions: (index) => ({ localAddress: `127.0.0.${10 + index}` }),
  });
  await run.setUp();
  run.startTraffic({ everyMs: 100, changeEveryMs: 250 });
  await run.moreAcks(200);

  const load = await Promise.all(cluster.nodes.map(connectionsOn));
  const busiest = load.indexOf(Math.max(...load));
  expect(load[busiest]).toBeGreaterThan(0);
  await cluster.kill(busiest);
  // Its devices reconnect through nginx to the other nodes and carry on.
  await run.moreAcks(300);

  const result = await run.finish(databaseUrl);
  expect(result.violations).toEqual([]);
  const after = await Promise.all(
    cluster.nodes.filter((_, index) => index !== busiest).map(connectionsOn),
  );
  expect(after.reduce((sum, count) => sum + count, 0)).toBe(run.devices.length);
  console.info(
    `node killed: ${result.stored} messages, ${run.changes.counts().ok} changes, ${run.changes.counts().forwarded} forwards, ${load[busiest]} devices moved, none lost`,
  );
}, 300_000);

it('loses no message or change when Redis restarts during traffic, and every device converges', async () => {
  const { cluster, redis, databaseUrl } = await setUpCluster();
  // Devices straight to the nodes, round robin: most conversations cross nodes.
  run = new DeliveryRun({
    serverUrl: cluster.url,
    people: 4,
    devicesPerPerson: 2,
    deviceUrl: (index) => cluster.nodes[index % cluster.nodes.length]!.url,
  });
  await run.setUp();
  run.startTraffic({ everyMs: 100, changeEveryMs: 250 });
  await run.moreAcks(200);

  await redis.stop();
  // Sends still commit and ack while Redis is away; the outage shows in /readyz.
  await run.moreAcks(150);
  const ready = await fetch(`${cluster.nodes[0]!.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ ok: false, redis: 'down', database: 'up' });

  // Traffic stops before Redis is back: pushes lost in the outage are followed by nothing that
  // would reveal a gap, so devices converge only because the nodes tell them to sync.
  run.stopTraffic();
  await redis.start();
  const result = await run.finish(databaseUrl);
  expect(result.violations).toEqual([]);
  expect((await fetch(`${cluster.nodes[0]!.url}/readyz`)).status).toBe(200);
  console.info(
    `Redis restarted: ${result.stored} messages, ${run.changes.counts().ok} changes, ${run.changes.counts().forwarded} forwards, every device converged`,
  );
}, 300_000);
