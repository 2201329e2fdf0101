// Scenario 5: every client loses its connection at the same moment, during traffic. Each one
// reconnects with the app's backoff and syncs from its cursors; nothing may be lost.

import { seedPairs } from '../population';
import {
  describeReconciliation,
  formatLatency,
  PARLEY_CLIENT,
  withSetup,
  type BenchContext,
  type ScenarioResult,
} from '../scenario';
import { round, runStep, type StepResult } from '../steps';
import { startParley } from '../targets';
import { BODY_BYTES } from './fixed-rates';

interface Storm {
  clients: number;
  dropped: number;
  /** From the drop until the last client was connected again, and until it had synced. */
  allBackMs: number;
  allSyncedMs: number;
  pending: number;
  step: StepResult;
}

export async function reconnectStorm(ctx: BenchContext): Promise<ScenarioResult> {
  const clients = ctx.quick ? 100 : 10_000;
  const rate = ctx.quick ? 50 : 200;
  const durationMs = ctx.quick ? 4_000 : 30_000;
  const dropAfterMs = ctx.quick ? 1_000 : 5_000;
  const storm = await withSetup(
    ctx,
    {
      start: () => startParley(ctx.database, 1),
      populate: (target) => seedPairs(ctx.database.handle.db, clients / 2, target.urls),
      connect: PARLEY_CLIENT,
      senders: (population) => population.clients.map((_, index) => index),
    },
    async (setup): Promise<Storm> => {
      let dropped = 0;
      let allBackMs = 0;
      let allSyncedMs = 0;
      let pending = 0;
      const step = await runStep(setup, {
        ratePerSecond: rate,
        durationMs,
        bodyBytes: BODY_BYTES,
        settleTimeoutMs: 60_000,
        during: async () => {
          await new Promise((resolve) => setTimeout(resolve, dropAfterMs));
          const drops = await setup.pool.all<'dropped'>({ type: 'drop' });
          const droppedAt = Math.min(...drops.map((drop) => drop.at));
          dropped = drops.reduce((total, drop) => total + drop.count, 0);
          const synced = await setup.pool.all<'synced'>({
            type: 'wait-synced',
            sinceMicros: droppedAt,
            timeoutMs: 60_000,
          });
          pending = synced.reduce((total, reply) => total + reply.pending, 0);
          allBackMs = round(
            (Math.max(...synced.map((reply) => reply.lastConnectedAt)) - droppedAt) / 1000,
          );
          allSyncedMs = round(
            (Math.max(...synced.map((reply) => reply.lastSyncedAt)) - droppedAt) / 1000,
          );
          ctx.log(
            `  ${dropped} dropped; all back after ${allBackMs} ms, all synced after ${allSyncedMs} ms`,
          );
        },
      });
      return { clients, dropped, allBackMs, allSyncedMs, pending, step };
    },
  );
  const { step } = storm;
  const reconnect = step.extra.reconnect;
  const resync = step.extra.resync;
  return {
    id: 'storm',
    title: `5. Reconnect storm (${clients} clients dropped at once)`,
    ok: step.reconciliation.ok && storm.pending === 0,
    tables: [
      {
        title: `${rate} msg/s for ${durationMs / 1000} s; every connection dropped after ${dropAfterMs / 1000} s`,
        columns: ['Dropped', 'All back (ms)', 'All synced (ms)', 'Not back', 'Reconciled'],
        rows: [
          [
            storm.dropped,
            storm.allBackMs,
            storm.allSyncedMs,
            storm.pending,
            describeReconciliation(step.reconciliation),
          ],
        ],
      },
      {
        title: 'Per client, from the drop (ms)',
        columns: ['', 'p50', 'p95', 'p99', 'max'],
        rows: [
          ...(reconnect ? [['Connected again', ...formatLatency(reconnect)]] : []),
          ...(resync ? [['Synced', ...formatLatency(resync)]] : []),
        ],
      },
      {
        title: 'The traffic around it',
        columns: [
          'Sent',
          'Acked',
          'Failed',
          'Not sent (offline)',
          'Stored without ack',
          'Delivery p50',
          'p95',
          'p99',
          'max (ms)',
        ],
        rows: [
          [
            step.sent,
            step.acked,
            step.failed,
            step.skipped,
            step.reconciliation.storedWithoutAck,
            ...formatLatency(step.delivery),
          ],
        ],
      },
    ],
    targets: [
      {
        name: `${clients} clients back and synced`,
        target: '≤ 10 s',
        measured: `${round(storm.allSyncedMs / 1000, 1)} s`,
        met: storm.pending === 0 && storm.allSyncedMs <= 10_000,
      },
    ],
    notes: [
      'Clients reconnect with the app’s backoff: the first attempt after 0.5–1.5 s (1 s ± 50% jitter).',
      'Synced means reconnected, listed its conversations and fetched everything past its cursor.',
      'Sends due while a client was offline are not made (the app would queue them); sends whose ack was lost in the drop may be stored without an ack, which a retry with the same id resolves.',
    ],
    data: storm,
  };
}
