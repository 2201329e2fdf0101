// Scenario 4: idle, authenticated connections: as many as each server process may open files
// for, on every node; memory per connection from the growth of RSS and of the V8 heap.

import { relayPairs, seedLoners, type Population } from '../population';
import { nowMicros } from '../histogram';
import { WorkerPool } from '../pool';
import { RELAY_CLIENT, workersFor, type BenchContext, type ScenarioResult } from '../scenario';
import { idleMemoryGoals } from '../goals';
import { kb, round } from '../steps';
import { heapUsedBytes, openFilesLimit, rssBytes } from '../system';
import { startParley, startRelay, type Target } from '../targets';

/** File descriptors a node keeps for itself: database, Redis, logs, listening socket. */
const RESERVED_FILES = 1_000;
/** Connections made to one node alone, to time them. */
const SINGLE_NODE_CONNECTIONS = 10_000;

interface Memory {
  rss: number;
  heap: number;
}

interface Measured {
  target: string;
  perNode: number;
  nodes: number;
  connectPerSecond: number;
  before: Memory[];
  after: Memory[];
  rssPerConnection: number;
  heapPerConnection: number;
}

/**
 * The process's memory once it has been quiet a while: the heap's lowest reading over 5 s (one
 * reading at once in the quick run, whose numbers mean nothing).
 */
async function settledMemory(ctx: BenchContext, pid: number, url: string | null): Promise<Memory> {
  let heap = Infinity;
  for (let sample = 0; sample < (ctx.quick ? 1 : 5); sample++) {
    if (!ctx.quick) await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (url) heap = Math.min(heap, await heapUsedBytes(url));
  }
  return { rss: rssBytes(pid), heap: url ? heap : 0 };
}

async function measure(
  ctx: BenchContext,
  target: Target,
  perNode: number,
  populate: () => Promise<Population>,
  heapUrls: (string | null)[],
): Promise<Measured> {
  const pids = target.pids();
  const before = await Promise.all(
    pids.map((pid, index) => settledMemory(ctx, pid, heapUrls[index]!)),
  );
  const { clients } = await populate();
  const pool = WorkerPool.start(workersFor(clients.length));
  try {
    const startedAt = nowMicros();
    await pool.connect(target.kind, clients, { ...RELAY_CLIENT, sync: false }, 400);
    const seconds = (nowMicros() - startedAt) / 1e6;
    ctx.log(`  ${target.name}: ${clients.length} idle connections in ${round(seconds, 1)} s`);
    const after = await Promise.all(
      pids.map((pid, index) => settledMemory(ctx, pid, heapUrls[index]!)),
    );
    const total = clients.length;
    const grow = (pick: (memory: Memory) => number) =>
      after.reduce((sum, memory, index) => sum + pick(memory) - pick(before[index]!), 0) / total;
    return {
      target: target.name,
      perNode,
      nodes: pids.length,
      connectPerSecond: Math.round(total / seconds),
      before,
      after,
      rssPerConnection: Math.round(grow((memory) => memory.rss)),
      heapPerConnection: Math.round(grow((memory) => memory.heap)),
    };
  } finally {
    await pool.close();
  }
}

export async function idleConnections(ctx: BenchContext): Promise<ScenarioResult> {
  const perNode = ctx.quick ? 100 : openFilesLimit() - RESERVED_FILES;
  const nodes = ctx.quick ? 1 : 2;
  const results: Measured[] = [];

  const parley = await startParley(ctx.database, nodes);
  try {
    results.push(
      await measure(
        ctx,
        parley,
        perNode,
        () => seedLoners(ctx.database.handle.db, perNode * nodes, parley.urls),
        parley.urls,
      ),
    );
  } finally {
    await parley.stop();
  }
  // One node alone, for its rate of authenticated connections: the two nodes above share the
  // machine's cores with each other, with Redis and with the clients.
  const single = await startParley(ctx.database, 1);
  try {
    const count = ctx.quick ? 100 : SINGLE_NODE_CONNECTIONS;
    results.push(
      await measure(
        ctx,
        single,
        count,
        () => seedLoners(ctx.database.handle.db, count, single.urls),
        single.urls,
      ),
    );
  } finally {
    await single.stop();
  }
  const relay = await startRelay();
  try {
    results.push(
      await measure(ctx, relay, perNode, async () => relayPairs(perNode / 2, relay.urls[0]!), [
        null,
      ]),
    );
  } finally {
    await relay.stop();
  }

  const parleyResult = results[0]!;
  const singleNode = results[1]!;
  return {
    id: 'idle',
    title: '4. Idle authenticated connections',
    ok: true,
    tables: [
      {
        title: 'Memory per connection (growth after connecting, divided by connections)',
        columns: [
          'Target',
          'Connections',
          'Per node',
          'Connected /s',
          'RSS per connection (KB)',
          'Heap per connection (KB)',
        ],
        rows: results.map((result) => [
          result.target,
          result.perNode * result.nodes,
          result.perNode,
          result.connectPerSecond,
          kb(result.rssPerConnection),
          result.target.startsWith('Bare') ? '–' : kb(result.heapPerConnection),
        ]),
      },
    ],
    targets: [
      // (The quick run measures one node twice; its second run is there to be timed.)
      ...idleMemoryGoals(parleyResult.nodes > 1 ? [singleNode, parleyResult] : [singleNode]),
      {
        name: 'Authenticated connections per second, one node',
        target: '≥ 1,000',
        measured: `${singleNode.connectPerSecond} (${parleyResult.connectPerSecond} on ${parleyResult.nodes} node${parleyResult.nodes === 1 ? '' : 's'})`,
        met: singleNode.connectPerSecond >= 1_000,
      },
    ],
    notes: [
      `A process here may open ${openFilesLimit()} files, so a node holds at most about ${perNode} sockets; with ${nodes} nodes the machine holds ${perNode * nodes}.`,
      'Clients connect over WebSocket only (no long-polling first).',
    ],
    data: results,
  };
}
