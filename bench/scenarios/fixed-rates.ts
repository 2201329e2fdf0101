// Scenario 1: 1:1 messages at fixed rates, on one node and on two nodes behind Redis (where
// every message crosses from one node to the other).

import { seedPairs } from '../population';
import {
  describeReconciliation,
  formatLatency,
  formatSyscalls,
  PARLEY_CLIENT,
  withSetup,
  type BenchContext,
  type ScenarioResult,
  type Table,
} from '../scenario';
import { fixedRateGoals } from '../goals';
import { everyone, runStep, warmUp, type StepResult } from '../steps';
import { startParley } from '../targets';

export const BODY_BYTES = 64;

export async function fixedRates(ctx: BenchContext): Promise<ScenarioResult> {
  const rates = ctx.quick ? [50] : [250, 500, 1_000, 2_000];
  const durationMs = ctx.quick ? 1_500 : 15_000;
  const pairs = ctx.quick ? 20 : 1_000;
  const variants = ctx.quick ? [1] : [1, 2];
  const runs: { variant: string; steps: StepResult[] }[] = [];
  for (const nodes of variants) {
    const steps = await withSetup(
      ctx,
      {
        start: () => startParley(ctx.database, nodes),
        populate: (target) =>
          seedPairs(ctx.database.handle.db, pairs, target.urls, { talkedBefore: true }),
        connect: PARLEY_CLIENT,
        senders: everyone,
      },
      async (setup) => {
        await warmUp(setup, { quick: ctx.quick, ratePerSecond: 100, bodyBytes: BODY_BYTES });
        const measured: StepResult[] = [];
        for (const rate of rates) {
          const step = await runStep(setup, {
            ratePerSecond: rate,
            durationMs,
            bodyBytes: BODY_BYTES,
          });
          ctx.log(
            `  ${setup.target.name} at ${rate}/s: ack p99 ${step.ack.p99Ms} ms, delivery p99 ${step.delivery.p99Ms} ms, ${describeReconciliation(step.reconciliation)}`,
          );
          measured.push(step);
        }
        return { name: setup.target.name, measured };
      },
    );
    runs.push({ variant: steps.name, steps: steps.measured });
  }

  const table: Table = {
    title: `1:1 messages, ${pairs} pairs, ${durationMs / 1000} s per rate, ${BODY_BYTES}-byte bodies`,
    columns: [
      'Target',
      'Rate /s',
      'Acked /s',
      'Ack p50',
      'p95',
      'p99',
      'max (ms)',
      'Delivery p50',
      'p95',
      'p99',
      'max (ms)',
      'Server CPU',
      'Server µs/msg',
      'PostgreSQL µs/msg',
      'Server writes / reads per msg',
      'PostgreSQL writes / reads',
      'Generator writes / reads',
      'Reconciled',
    ],
    rows: runs.flatMap((run) =>
      run.steps.map((step) => [
        run.variant,
        step.ratePerSecond,
        step.achievedPerSecond,
        ...formatLatency(step.ack),
        ...formatLatency(step.delivery),
        `${step.cpu.serverPercent}%`,
        step.cpu.serverMicrosPerMessage,
        step.cpu.postgresMicrosPerMessage,
        formatSyscalls(step.syscalls.server),
        formatSyscalls(step.syscalls.postgres),
        formatSyscalls(step.syscalls.generator),
        describeReconciliation(step.reconciliation),
      ]),
    ),
  };
  return {
    id: 'fixed-rates',
    title: '1. 1:1 messages at fixed rates',
    ok: runs.every((run) => run.steps.every((step) => step.reconciliation.ok)),
    tables: [table],
    targets: fixedRateGoals(runs[0]?.steps ?? []),
    notes: [
      'Latencies count from the moment each send was due on the schedule, so a saturated generator shows up as latency.',
      'Delivery is measured at the other member; CPU per message is process time divided by acked messages.',
    ],
    data: runs,
  };
}
