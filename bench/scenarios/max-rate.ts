// Scenario 2: the highest 1:1 rate each target sustains with delivery p99 under 100 ms, every
// send acked and nothing lost; Parley's as a share of the bare relay's.

import { relayPairs, seedPairs } from '../population';
import {
  describeReconciliation,
  formatLatency,
  PARLEY_CLIENT,
  RELAY_CLIENT,
  withSetup,
  type BenchContext,
  type ScenarioResult,
} from '../scenario';
import { maxRateGoals } from '../goals';
import { everyone, round, runStep, warmUp, type Setup, type StepResult } from '../steps';
import { startParley, startRelay, type Target } from '../targets';
import { BODY_BYTES } from './fixed-rates';

const DELIVERY_P99_LIMIT_MS = 100;

function passes(step: StepResult): boolean {
  return (
    step.delivery.p99Ms < DELIVERY_P99_LIMIT_MS &&
    step.failed === 0 &&
    step.skipped === 0 &&
    step.reconciliation.ok &&
    step.achievedPerSecond >= step.ratePerSecond * 0.97
  );
}

interface Search {
  target: string;
  steps: StepResult[];
  /** The highest rate that passed (0 if none did). */
  maxSustained: number;
}

/** Raises the rate step by step until it fails, then tries once halfway back. */
async function search(
  ctx: BenchContext,
  setup: Setup,
  rates: number[],
  durationMs: number,
): Promise<Search> {
  const steps: StepResult[] = [];
  let best = 0;
  let failedAt = 0;
  await warmUp(setup, { quick: ctx.quick, ratePerSecond: 200, bodyBytes: BODY_BYTES });
  for (const rate of rates) {
    const step = await runStep(setup, { ratePerSecond: rate, durationMs, bodyBytes: BODY_BYTES });
    steps.push(step);
    ctx.log(
      `  ${setup.target.name} at ${rate}/s: delivery p99 ${step.delivery.p99Ms} ms, acked ${step.achievedPerSecond}/s, ${passes(step) ? 'sustained' : 'not sustained'}`,
    );
    if (!passes(step)) {
      failedAt = rate;
      break;
    }
    best = rate;
  }
  if (failedAt && best && !ctx.quick) {
    const between = Math.round((best + failedAt) / 2 / 100) * 100;
    if (between > best && between < failedAt) {
      const step = await runStep(setup, {
        ratePerSecond: between,
        durationMs,
        bodyBytes: BODY_BYTES,
      });
      steps.push(step);
      ctx.log(
        `  ${setup.target.name} at ${between}/s: ${passes(step) ? 'sustained' : 'not sustained'}`,
      );
      if (passes(step)) best = between;
    }
  }
  return { target: setup.target.name, steps, maxSustained: best };
}

export async function maxRate(ctx: BenchContext): Promise<ScenarioResult> {
  const rates = ctx.quick
    ? [100, 200]
    : [
        250, 500, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 8_000, 10_000, 12_000, 15_000, 20_000,
        30_000, 40_000, 50_000,
      ];
  const durationMs = ctx.quick ? 1_000 : 10_000;
  const pairs = ctx.quick ? 20 : 1_000;
  const plans: { start(): Promise<Target>; relay: boolean }[] = [
    { start: startRelay, relay: true },
    { start: () => startParley(ctx.database, 1), relay: false },
    ...(ctx.quick ? [] : [{ start: () => startParley(ctx.database, 2), relay: false }]),
  ];
  const searches: Search[] = [];
  for (const plan of plans) {
    searches.push(
      await withSetup(
        ctx,
        {
          start: plan.start,
          populate: (target) =>
            plan.relay
              ? relayPairs(pairs, target.urls[0]!)
              : seedPairs(ctx.database.handle.db, pairs, target.urls, { talkedBefore: true }),
          connect: plan.relay ? RELAY_CLIENT : PARLEY_CLIENT,
          senders: everyone,
        },
        (setup) => search(ctx, setup, rates, durationMs),
      ),
    );
  }
  const relay = searches[0]!;
  const parley = searches[1]!;
  return {
    id: 'max-rate',
    title: '2. Highest sustained 1:1 rate (delivery p99 < 100 ms)',
    ok: searches.every((item) => item.steps.every((step) => step.reconciliation.ok)),
    tables: [
      {
        title: 'Highest sustained rate',
        columns: ['Target', 'Messages /s', 'Share of the bare relay'],
        rows: searches.map((item) => [
          item.target,
          item.maxSustained,
          relay.maxSustained ? `${round((item.maxSustained / relay.maxSustained) * 100)}%` : '–',
        ]),
      },
      {
        title: `Every step (${durationMs / 1000} s each, ${pairs} pairs)`,
        columns: [
          'Target',
          'Rate /s',
          'Acked /s',
          'Delivery p50',
          'p95',
          'p99',
          'max (ms)',
          'Failed',
          'Generator lag (ms)',
          'Server CPU',
          'PostgreSQL CPU',
          'Workers CPU',
          'Reconciled',
        ],
        rows: searches.flatMap((item) =>
          item.steps.map((step) => [
            item.target,
            step.ratePerSecond,
            step.achievedPerSecond,
            ...formatLatency(step.delivery),
            step.failed + step.skipped,
            step.maxLagMs,
            `${step.cpu.serverPercent}%`,
            `${step.cpu.postgresPercent}%`,
            `${step.cpu.workersPercent}%`,
            describeReconciliation(step.reconciliation),
          ]),
        ),
      },
    ],
    targets: maxRateGoals(relay.maxSustained, parley.maxSustained, searches[2]?.maxSustained),
    notes: [
      'A rate is sustained when every send is acked, nothing is lost or doubled, the acked rate keeps up with the schedule and delivery p99 stays under 100 ms.',
      'The load generator runs on the same two cores as the server and PostgreSQL; its CPU share is in the table.',
    ],
    data: searches,
  };
}
