// Scenario 7: one person floods reads (conversation:list, as fast as the server answers, 4
// unanswered per socket) from 20 sockets while 200 pairs chat at 100 messages a second: the
// bystanders' acks with and without the flood. The other limits are lifted as in every scenario
// (GENEROUS_LIMITS), but the work budget stays at its default, as a server has it: that budget
// and the cap on events in flight per socket are what hold the flooder back.

import { EVENTS_IN_FLIGHT_PER_SOCKET, RATE_LIMIT_SETTINGS } from '../../protocol';
import { seedLoners, seedPairs } from '../population';
import {
  describeReconciliation,
  formatLatency,
  PARLEY_CLIENT,
  withSetup,
  type BenchContext,
  type ScenarioResult,
} from '../scenario';
import { runStep, warmUp, type StepResult } from '../steps';
import { startParley } from '../targets';
import type { Reply } from '../protocol';
import { BODY_BYTES } from './fixed-rates';

const FLOOD_SOCKETS = 20;

export async function readFlood(ctx: BenchContext): Promise<ScenarioResult> {
  const db = ctx.database.handle.db;
  const pairs = ctx.quick ? 20 : 200;
  const rate = ctx.quick ? 50 : 100;
  const durationMs = ctx.quick ? 1_500 : 15_000;

  return withSetup(
    ctx,
    {
      start: () =>
        startParley(ctx.database, 1, {
          workPointsPerSecond: RATE_LIMIT_SETTINGS.workPointsPerSecond.default,
          workBurst: RATE_LIMIT_SETTINGS.workBurst.default,
        }),
      populate: async (target) => {
        const chatting = await seedPairs(db, pairs, target.urls);
        const [flooder] = (await seedLoners(db, 1, target.urls)).clients;
        return {
          clients: [
            ...chatting.clients,
            ...Array.from({ length: FLOOD_SOCKETS }, () => ({ ...flooder! })),
          ],
          conversationIds: chatting.conversationIds,
        };
      },
      connect: PARLEY_CLIENT,
      senders: () => Array.from({ length: pairs * 2 }, (_, index) => index),
    },
    async (setup) => {
      await warmUp(setup, { quick: ctx.quick, ratePerSecond: rate, bodyBytes: BODY_BYTES });
      const step = { ratePerSecond: rate, durationMs, bodyBytes: BODY_BYTES };
      const quiet = await runStep(setup, step);
      ctx.log(`  without the flood: ack p99 ${quiet.ack.p99Ms} ms`);

      const flooders = setup.placements.slice(pairs * 2);
      let flood: Promise<Extract<Reply, { type: 'flood-done' }>[]> | undefined;
      const flooded = await runStep(setup, {
        ...step,
        during: () => {
          flood = setup.pool.all<'flood-done'>((worker) => ({
            type: 'flood',
            clients: flooders
              .filter((placement) => placement.worker === worker)
              .map((placement) => placement.local),
            durationMs,
            inFlight: EVENTS_IN_FLIGHT_PER_SOCKET,
          }));
          return Promise.resolve();
        },
      });
      const replies = flood ? await flood : [];
      const floodCounts = {
        answered: replies.reduce((sum, reply) => sum + reply.answered, 0),
        refused: replies.reduce((sum, reply) => sum + reply.refused, 0),
        unanswered: replies.reduce((sum, reply) => sum + reply.unanswered, 0),
      };
      ctx.log(
        `  with the flood: ack p99 ${flooded.ack.p99Ms} ms; ${floodCounts.answered} lists answered, ${floodCounts.refused} refused`,
      );
      return summarize({ pairs, rate, durationMs, quiet, flooded, floodCounts });
    },
  );
}

function summarize(run: {
  pairs: number;
  rate: number;
  durationMs: number;
  quiet: StepResult;
  flooded: StepResult;
  floodCounts: { answered: number; refused: number; unanswered: number };
}): ScenarioResult {
  const { quiet, flooded, floodCounts } = run;
  // A quiet p99 under a millisecond would make "2x" meaningless: 1 ms is the floor.
  const limitMs = 2 * Math.max(1, quiet.ack.p99Ms);
  const seconds = run.durationMs / 1_000;
  return {
    id: 'flood',
    title: '7. Bystanders during a flood of reads',
    ok: quiet.reconciliation.ok && flooded.reconciliation.ok,
    tables: [
      {
        title: `${run.pairs} pairs at ${run.rate} msg/s for ${seconds} s; one person floods conversation:list from ${FLOOD_SOCKETS} sockets`,
        columns: [
          'Flood',
          'Acked /s',
          'Ack p50',
          'p95',
          'p99',
          'max (ms)',
          'Lists answered /s',
          'Refused',
          'Server CPU',
          'Reconciled',
        ],
        rows: [
          ['none', quiet.achievedPerSecond, ...formatLatency(quiet.ack), 0, 0],
          [
            `${FLOOD_SOCKETS} sockets`,
            flooded.achievedPerSecond,
            ...formatLatency(flooded.ack),
            Math.round(floodCounts.answered / seconds),
            floodCounts.refused,
          ],
        ].map((row, index) => {
          const result = index === 0 ? quiet : flooded;
          return [
            ...row,
            `${result.cpu.serverPercent}%`,
            describeReconciliation(result.reconciliation),
          ];
        }),
      },
    ],
    targets: [
      {
        name: 'Bystanders’ ack p99 during the flood',
        target: `≤ 2 × without (${limitMs} ms)`,
        measured: `${flooded.ack.p99Ms} ms (without: ${quiet.ack.p99Ms} ms)`,
        met: flooded.ack.p99Ms <= limitMs,
      },
    ],
    notes: [
      'The flooder asks again the moment an answer comes, 4 unanswered per socket (the most the server takes), refused or not; the work budget is at its default, as a server has it.',
    ],
    data: { quiet, flooded, floodCounts },
  };
}
