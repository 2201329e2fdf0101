// Scenario 6: reading history from a conversation with a million messages, in a table of three
// million, at a steady request rate: the newest page and the page ten pages back.

import { appendGeneratedMessages, explainHistoryPage, readLastSeqs } from '../../db/seed';
import { nowMicros } from '../histogram';
import { seedPairs } from '../population';
import {
  formatLatency,
  PARLEY_CLIENT,
  withSetup,
  type BenchContext,
  type ScenarioResult,
} from '../scenario';
import { round, summarizeAll } from '../steps';
import { startParley } from '../targets';

const PAGE = 50;

export async function historyPages(ctx: BenchContext): Promise<ScenarioResult> {
  const db = ctx.database.handle.db;
  const bigCount = ctx.quick ? 20_000 : 1_000_000;
  const total = ctx.quick ? 60_000 : 3_000_000;
  const others = 20;
  const rate = ctx.quick ? 100 : 500;
  const durationMs = ctx.quick ? 1_500 : 15_000;

  return withSetup(
    ctx,
    {
      start: () => startParley(ctx.database, 1),
      populate: async (target) => {
        const seededAt = performance.now();
        const filler = await seedPairs(db, others, target.urls);
        for (const [index, conversationId] of filler.conversationIds.entries()) {
          await appendGeneratedMessages(
            db,
            conversationId,
            filler.clients[index * 2]!.id,
            Math.floor((total - bigCount) / others),
          );
        }
        const population = await seedPairs(db, 1, target.urls);
        await appendGeneratedMessages(
          db,
          population.conversationIds[0]!,
          population.clients[0]!.id,
          bigCount,
        );
        ctx.log(
          `  seeded ${total} messages in ${round((performance.now() - seededAt) / 1000, 1)} s`,
        );
        return population;
      },
      connect: { ...PARLEY_CLIENT, deliveryReports: false },
      senders: () => [],
    },
    async (setup) => {
      const conversationId = setup.population.conversationIds[0]!;
      const readerId = setup.population.clients[0]!.id;
      const lastSeq = (await readLastSeqs(db, [conversationId])).get(conversationId) ?? 0;
      const tenPagesBack = lastSeq + 1 - 10 * PAGE;
      const requests = setup.placements.flatMap((placement) => [
        { worker: placement.worker, client: placement.local, conversationId, label: 'Newest page' },
        {
          worker: placement.worker,
          client: placement.local,
          conversationId,
          beforeSeq: tenPagesBack,
          label: '10 pages back',
        },
      ]);
      const startAtMicros = nowMicros() + 300_000;
      const replies = await setup.pool.all<'history-done'>((worker) => {
        const mine = requests.filter((request) => request.worker === worker);
        return {
          type: 'history',
          ratePerSecond: (rate * mine.length) / requests.length,
          durationMs,
          startAtMicros,
          requests: mine.map(({ client, conversationId: id, beforeSeq, label }) => ({
            client,
            conversationId: id,
            label,
            ...(beforeSeq === undefined ? {} : { beforeSeq }),
          })),
        };
      });
      const merged = await setup.pool.report(true);
      const latencies = summarizeAll(merged.extra);
      const failed = replies.reduce((sum, reply) => sum + reply.failed, 0);
      const sent = replies.reduce((sum, reply) => sum + reply.sent, 0);
      const plans = {
        'Newest page': await explainHistoryPage(db, { conversationId, readerId, limit: PAGE }),
        '10 pages back': await explainHistoryPage(db, {
          conversationId,
          readerId,
          beforeSeq: tenPagesBack,
          limit: PAGE,
        }),
      };
      const worst = Math.max(...Object.values(latencies).map((summary) => summary.p99Ms));
      ctx.log(`  ${sent} history requests, p99 ${worst} ms`);
      return {
        id: 'history',
        title: `6. History (${bigCount.toLocaleString('en')} messages in one conversation, ${total.toLocaleString('en')} in all)`,
        ok: failed === 0,
        tables: [
          {
            title: `${rate} requests/s for ${durationMs / 1000} s, ${PAGE} messages per page, over the socket`,
            columns: ['Page', 'Requests', 'p50', 'p95', 'p99', 'max (ms)'],
            rows: Object.entries(latencies).map(([label, summary]) => [
              label,
              summary.count,
              ...formatLatency(summary),
            ]),
          },
        ],
        targets: [
          {
            name: 'History page p99',
            target: '≤ 10 ms',
            measured: `${worst} ms`,
            met: worst <= 10 && failed === 0,
          },
        ],
        notes: [
          'Query plans (EXPLAIN) of the page query:',
          ...Object.entries(plans).map(([label, plan]) => `${label}:\n\n\`\`\`\n${plan}\n\`\`\``),
        ],
        data: { sent, failed, latencies, plans, lastSeq },
      };
    },
  );
}
