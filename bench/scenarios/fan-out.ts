// Scenario 3: a big group with every member connected. Each message goes to every member;
// what counts is deliveries per second and how long until the last member has the message.

import { deliveryReportDelayMs } from '../../protocol';
import { relayGroup, seedBigGroup } from '../population';
import {
  describeReconciliation,
  formatLatency,
  PARLEY_CLIENT,
  RELAY_CLIENT,
  withSetup,
  type BenchContext,
  type ScenarioResult,
} from '../scenario';
import { fanOutGoals } from '../goals';
import { round, runStep, warmUp, type StepResult } from '../steps';
import { startParley, startRelay, type Target } from '../targets';
import { BODY_BYTES } from './fixed-rates';

const LAST_MEMBER_P99_LIMIT_MS = 250;
/** Messages come from a few members in turn. */
const SENDERS = 10;

interface Run {
  target: string;
  steps: StepResult[];
}

function passes(step: StepResult): boolean {
  return (
    (step.lastMember?.p99Ms ?? Infinity) <= LAST_MEMBER_P99_LIMIT_MS &&
    step.failed + step.skipped === 0 &&
    step.reconciliation.ok
  );
}

export async function fanOut(ctx: BenchContext): Promise<ScenarioResult> {
  const members = ctx.quick ? 30 : 1_000;
  const rates = ctx.quick ? [10] : [10, 25, 50, 75, 100];
  const durationMs = ctx.quick ? 1_500 : 10_000;
  const plans: { start(): Promise<Target>; relay: boolean }[] = [
    { start: startRelay, relay: true },
    { start: () => startParley(ctx.database, 1), relay: false },
  ];
  const runs: Run[] = [];
  for (const plan of plans) {
    runs.push(
      await withSetup(
        ctx,
        {
          start: plan.start,
          populate: (target) =>
            plan.relay
              ? relayGroup(members, target.urls[0]!)
              : seedBigGroup(ctx.database.handle.db, members, target.urls),
          connect: { ...(plan.relay ? RELAY_CLIENT : PARLEY_CLIENT), trackLastDelivery: true },
          senders: () => Array.from({ length: SENDERS }, (_, index) => index),
        },
        async (setup) => {
          await warmUp(setup, { quick: ctx.quick, ratePerSecond: 5, bodyBytes: BODY_BYTES });
          const steps: StepResult[] = [];
          for (const rate of rates) {
            const step = await runStep(setup, {
              ratePerSecond: rate,
              durationMs,
              bodyBytes: BODY_BYTES,
            });
            ctx.log(
              `  ${setup.target.name}, ${rate} msg/s into ${members}: ${step.deliveriesPerSecond} deliveries/s, last member p99 ${step.lastMember?.p99Ms} ms`,
            );
            steps.push(step);
            if (!passes(step) && !ctx.quick) break;
          }
          return { target: setup.target.name, steps };
        },
      ),
    );
  }
  const best = (run: Run | undefined) =>
    Math.max(0, ...(run?.steps.filter(passes).map((step) => step.deliveriesPerSecond) ?? []));
  const relayBest = best(runs[0]);
  const parleyBest = best(runs[1]);
  const parleyPassing = runs[1]?.steps.filter(passes).at(-1);
  return {
    id: 'fan-out',
    title: `3. Group fan-out (${members} members, all connected)`,
    ok: runs.every((run) => run.steps.every((step) => step.reconciliation.ok)),
    tables: [
      {
        title: `${durationMs / 1000} s per rate; messages from ${SENDERS} members in turn`,
        columns: [
          'Target',
          'Messages /s',
          'Deliveries /s',
          'Last member p50',
          'p95',
          'p99',
          'max (ms)',
          'Server CPU',
          'Workers CPU',
          'Reconciled',
        ],
        rows: runs.flatMap((run) =>
          run.steps.map((step) => [
            run.target,
            step.ratePerSecond,
            step.deliveriesPerSecond,
            ...(step.lastMember ? formatLatency(step.lastMember) : ['–', '–', '–', '–']),
            `${step.cpu.serverPercent}%`,
            `${step.cpu.workersPercent}%`,
            describeReconciliation(step.reconciliation),
          ]),
        ),
      },
      {
        title: 'Most deliveries per second with the last member p99 ≤ 250 ms',
        columns: ['Target', 'Deliveries /s', 'Share of the bare relay'],
        rows: [
          ['Bare Socket.IO relay', relayBest, '100%'],
          [
            'Parley, 1 node',
            parleyBest,
            relayBest ? `${round((parleyBest / relayBest) * 100)}%` : '–',
          ],
        ],
      },
    ],
    targets: fanOutGoals(
      members,
      relayBest,
      parleyBest,
      parleyPassing?.lastMember?.p99Ms,
      LAST_MEMBER_P99_LIMIT_MS,
    ),
    notes: [
      `Members report delivery as the app does: one mark-delivered per conversation, ${deliveryReportDelayMs(members)} ms after receiving (100 ms per hundred members).`,
    ],
    data: runs,
  };
}
