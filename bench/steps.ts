// One stretch of traffic at a fixed rate, measured and reconciled: the building block of the
// scenarios.

import {
  listEarlierMessagesAfterSeqs,
  listMessagesStoredAfter,
  maxMessageId,
  readLastSeqs,
} from '../db/seed';
import { nowMicros, summarize, type Histogram, type LatencySummary } from './histogram';
import type { MergedReport, Placement, WorkerPool } from './pool';
import type { Population } from './population';
import type { HeldSummary, SenderSpec } from './protocol';
import { reconcileRelayed, reconcileStored, type Reconciliation } from './reconcile';
import { CpuMeter, type Syscalls } from './system';
import type { BenchDatabase, Target } from './targets';

export interface Setup {
  pool: WorkerPool;
  target: Target;
  /** Parley's database, to check what was stored. */
  database?: BenchDatabase;
  population: Population;
  placements: Placement[];
  /** The clients (indexes into the population) that send, each in its first conversation. */
  senders: number[];
}

export interface StepOptions {
  ratePerSecond: number;
  durationMs: number;
  bodyBytes: number;
  /** Runs once traffic has started (e.g. drops every connection). */
  during?: () => Promise<void>;
  settleTimeoutMs?: number;
}

export interface StepResult {
  ratePerSecond: number;
  durationMs: number;
  sent: number;
  acked: number;
  failed: number;
  skipped: number;
  /** How far the generator fell behind its schedule at worst. */
  maxLagMs: number;
  /** Acked messages per second over the step. */
  achievedPerSecond: number;
  /** Messages that reached another member, per second (fan-out: counts each member). */
  deliveriesPerSecond: number;
  ack: LatencySummary;
  delivery: LatencySummary;
  /** Fan-out: per message, the time until the last member had it. */
  lastMember?: LatencySummary;
  extra: Record<string, LatencySummary>;
  cpu: {
    serverPercent: number;
    postgresPercent: number;
    workersPercent: number;
    /** CPU time per acked message. */
    serverMicrosPerMessage: number;
    postgresMicrosPerMessage: number;
  };
  /**
   * Read and write system calls per acked message (socket reads and writes, mostly): of the
   * server (or relay) processes, of PostgreSQL, and of the load generator's workers.
   */
  syscalls: {
    server: Syscalls;
    postgres: Syscalls;
    generator: Syscalls;
  };
  duplicatePushes: number;
  outOfOrderPushes: number;
  reconciliation: Reconciliation;
  firstError?: string;
  workerErrors: string[];
}

export async function runStep(setup: Setup, options: StepOptions): Promise<StepResult> {
  const { pool, target, database, population } = setup;
  const db = database?.handle.db;
  const startId = db ? await maxMessageId(db) : 0;

  // Senders take turns in a shuffled order, so that consecutive sends are rarely in the same
  // conversation (the two members of a pair sit next to each other in the population).
  const perWorker: SenderSpec[][] = Array.from({ length: pool.size }, () => []);
  for (const sender of shuffled(setup.senders)) {
    const placement = setup.placements[sender]!;
    perWorker[placement.worker]!.push({ client: placement.local, conversation: 0 });
  }
  const meter = new CpuMeter(
    () => target.pids(),
    () => pool.pids,
  );
  const startAtMicros = nowMicros() + 300_000;
  const traffic = pool.all<'traffic-done'>((worker) => ({
    type: 'traffic',
    ratePerSecond: (options.ratePerSecond * perWorker[worker]!.length) / setup.senders.length,
    durationMs: options.durationMs,
    startAtMicros,
    senders: perWorker[worker]!,
    bodyBytes: options.bodyBytes,
  }));
  if (options.during) await options.during();
  const results = (await traffic).map((reply) => reply.result);
  const cpu = meter.read();

  const sum = (pick: (result: (typeof results)[number]) => number) =>
    results.reduce((total, result) => total + pick(result), 0);
  const failedSends = sum((result) => result.failed);
  // Sends whose ack timed out may still be stored after the schedule ended: wait until every
  // member holds what is stored, and until nothing more is being stored.
  let lastSeqs = new Map<string, number>();
  for (let round = 0; round < 10; round++) {
    const targets: Record<string, number> = {};
    if (db) {
      lastSeqs = await readLastSeqs(db, population.conversationIds);
      for (const [id, seq] of lastSeqs) targets[id] = seq;
    } else {
      for (const result of results) {
        for (const [id, count] of Object.entries(result.ackedPerConversation)) {
          targets[id] = (targets[id] ?? 0) + count;
        }
      }
    }
    await pool.all<'settled'>({
      type: 'settle',
      targets,
      timeoutMs: options.settleTimeoutMs ?? 30_000,
    });
    if (!db) break;
    const after = await readLastSeqs(db, population.conversationIds);
    if ([...after].every(([id, seq]) => lastSeqs.get(id) === seq)) break;
  }
  const merged = await pool.report(true);
  const run = { acked: merged.acked, held: merged.held, failedSends };
  const reconciliation = db
    ? reconcileStored(run, {
        lastSeqs,
        rows: await listMessagesStoredAfter(db, startId),
        earlier: await listEarlierMessagesAfterSeqs(db, startId, lowestStartSeqs(merged.held)),
      })
    : reconcileRelayed(run);

  const seconds = options.durationMs / 1000;
  const acked = sum((result) => result.acked);
  const cpuPercent = (micros: number) => round((micros / 1000 / cpu.wallMs) * 100, 1);
  const firstError = results.find((result) => result.firstError)?.firstError;
  return {
    ratePerSecond: options.ratePerSecond,
    durationMs: options.durationMs,
    sent: sum((result) => result.sent),
    acked,
    failed: failedSends,
    skipped: sum((result) => result.skipped),
    maxLagMs: round(Math.max(...results.map((result) => result.maxLagMs)), 1),
    achievedPerSecond: Math.round(acked / seconds),
    deliveriesPerSecond: Math.round(merged.delivery.totalCount / seconds),
    ack: summarize(merged.ack),
    delivery: summarize(merged.delivery),
    ...(merged.lastDelivery.size ? { lastMember: summarizeLastMember(merged) } : {}),
    extra: summarizeAll(merged.extra),
    cpu: {
      serverPercent: cpuPercent(cpu.processesMicros),
      postgresPercent: cpuPercent(cpu.postgresMicros),
      workersPercent: cpuPercent(merged.workerCpuMicros),
      serverMicrosPerMessage: acked ? Math.round(cpu.processesMicros / acked) : 0,
      postgresMicrosPerMessage: acked ? Math.round(cpu.postgresMicros / acked) : 0,
    },
    syscalls: {
      server: perMessage(cpu.syscalls.processes, acked),
      postgres: perMessage(cpu.syscalls.postgres, acked),
      generator: perMessage(cpu.syscalls.generator, acked),
    },
    duplicatePushes: merged.duplicatePushes,
    outOfOrderPushes: merged.outOfOrderPushes,
    reconciliation,
    ...(firstError ? { firstError } : {}),
    workerErrors: merged.errors.slice(0, 5),
  };
}

function perMessage(counts: Syscalls, acked: number): Syscalls {
  return acked
    ? { reads: round(counts.reads / acked, 1), writes: round(counts.writes / acked, 1) }
    : { reads: 0, writes: 0 };
}

/** Per conversation, the lowest seq a member started the step from. */
function lowestStartSeqs(held: HeldSummary[]): Map<string, number> {
  const lowest = new Map<string, number>();
  for (const item of held) {
    lowest.set(
      item.conversationId,
      Math.min(lowest.get(item.conversationId) ?? Infinity, item.fromSeq),
    );
  }
  return lowest;
}

function summarizeLastMember(merged: MergedReport): LatencySummary {
  const values = [...merged.lastDelivery.values()].sort((a, b) => a - b);
  const at = (fraction: number) =>
    round(
      (values[Math.min(values.length - 1, Math.ceil(fraction * values.length) - 1)] ?? 0) / 1000,
      2,
    );
  return { count: values.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: at(1) };
}

export function summarizeAll(
  histograms: Record<string, Histogram>,
): Record<string, LatencySummary> {
  return Object.fromEntries(
    Object.entries(histograms).map(([label, histogram]) => [label, summarize(histogram)]),
  );
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Bytes as kilobytes with one decimal, as the reports show memory. */
export function kb(bytes: number): number {
  return round(bytes / 1024, 1);
}

/** The senders for pairs: everyone, each in their own direct conversation. */
export function everyone(population: Population): number[] {
  return population.clients.map((_, index) => index);
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/** A short step before measuring: the first messages pay for cold caches and JIT. */
export async function warmUp(
  setup: Setup,
  options: { quick: boolean; ratePerSecond: number; bodyBytes: number },
): Promise<void> {
  await runStep(setup, {
    ratePerSecond: options.ratePerSecond,
    durationMs: options.quick ? 500 : 3_000,
    bodyBytes: options.bodyBytes,
  });
}
