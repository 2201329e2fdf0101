// What every scenario gets and gives back, and the setup most of them share: a target, its
// people, and workers with every client connected.

import { vacuumAnalyze } from '../db/seed';
import { WorkerPool } from './pool';
import type { Population } from './population';
import type { ConnectOptions } from './protocol';
import type { Setup } from './steps';
import type { Syscalls } from './system';
import type { BenchDatabase, Target } from './targets';

export interface BenchContext {
  quick: boolean;
  database: BenchDatabase;
  log(message: string): void;
}

export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** False when a run lost or doubled a message, or could not be carried out. */
  ok: boolean;
  tables: Table[];
  targets: TargetCheck[];
  notes: string[];
  /** Everything measured, for the JSON file. */
  data: unknown;
}

export const PARLEY_CLIENT: ConnectOptions = {
  sync: true,
  deliveryReports: true,
  trackLastDelivery: false,
};

export const RELAY_CLIENT: ConnectOptions = {
  sync: false,
  deliveryReports: false,
  trackLastDelivery: false,
};

/** Enough workers that none holds more than 15,000 sockets, and at least one per core. */
export function workersFor(clients: number): number {
  return Math.max(2, Math.ceil(clients / 15_000));
}

/**
 * Starts the target, seeds its people, connects them all, runs `body`, and always tears down.
 */
export async function withSetup<T>(
  ctx: BenchContext,
  plan: {
    start(): Promise<Target>;
    populate(target: Target): Promise<Population> | Population;
    connect: ConnectOptions;
    senders(population: Population): number[];
  },
  body: (setup: Setup) => Promise<T>,
): Promise<T> {
  const target = await plan.start();
  let pool: WorkerPool | undefined;
  try {
    const population = await plan.populate(target);
    // What seeding left for autovacuum is done now, not during the measurements.
    if (target.kind === 'parley') await vacuumAnalyze(ctx.database.handle.db);
    pool = WorkerPool.start(workersFor(population.clients.length));
    const startedAt = performance.now();
    const placements = await pool.connect(target.kind, population.clients, plan.connect);
    ctx.log(
      `  ${target.name}: ${population.clients.length} clients connected in ${Math.round(performance.now() - startedAt)} ms`,
    );
    return await body({
      pool,
      target,
      ...(target.kind === 'parley' ? { database: ctx.database } : {}),
      population,
      placements,
      senders: plan.senders(population),
    });
  } finally {
    await pool?.close();
    await target.stop();
  }
}

/** System calls per message as "writes / reads". */
export function formatSyscalls(perMessage: Syscalls): string {
  return `${perMessage.writes} / ${perMessage.reads}`;
}

export function formatLatency(summary: {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}): string[] {
  return [summary.p50Ms, summary.p95Ms, summary.p99Ms, summary.maxMs].map((value) =>
    value.toFixed(1),
  );
}

export function describeReconciliation(reconciliation: {
  ok: boolean;
  lost: number;
  doubled: number;
}): string {
  return reconciliation.ok
    ? 'ok'
    : `FAILED: ${reconciliation.lost} lost, ${reconciliation.doubled} doubled`;
}
