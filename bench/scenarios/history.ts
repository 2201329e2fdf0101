// Scenario 6: reading history from a conversation with a million messages, in a table of three
// million, at a steady request rate: the newest page and the page ten pages back; then message
// searches in the same database, for words that are in a few messages and for one that is in
// every message (refused as too broad); then people searches among 100,000 people.

import {
  appendGeneratedMessages,
  explainHistoryPage,
  explainMessageSearch,
  readLastSeqs,
} from '../../db/seed';
import { SEARCH_MATCHES_MAX, SEARCH_PAGE_DEFAULT } from '../../protocol';
import type { ReadRequest } from '../protocol';
import { seedPairs } from '../population';
import {
  formatLatency,
  PARLEY_CLIENT,
  withSetup,
  type BenchContext,
  type ScenarioResult,
} from '../scenario';
import { round } from '../steps';
import { measurePeopleSearch, seedPeopleToFind } from './people-search';
import { runReads, type ReadCpu, type WorkerRead } from './reads';
import { startParley } from '../targets';

const PAGE = 50;
/** Searches a second, and the different numbers searched for (each a word of a few messages). */
const SEARCH_RATE = 50;
const SEARCH_NUMBERS = 50;

function cpuRow(label: string, cpu: ReadCpu): (string | number)[] {
  return [label, cpu.serverMicrosPerRead, cpu.postgresMicrosPerRead, cpu.generatorMicrosPerRead];
}

export async function historyPages(ctx: BenchContext): Promise<ScenarioResult> {
  const db = ctx.database.handle.db;
  const bigCount = ctx.quick ? 20_000 : 1_000_000;
  const total = ctx.quick ? 60_000 : 3_000_000;
  const others = 20;
  const rate = ctx.quick ? 100 : 500;
  const durationMs = ctx.quick ? 1_500 : 15_000;

  let peopleCount = 0;
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
        peopleCount = await seedPeopleToFind(ctx, db);
        ctx.log(
          `  seeded ${total} messages and ${peopleCount} people in ${round((performance.now() - seededAt) / 1000, 1)} s`,
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
      const requests: WorkerRead[] = setup.placements.flatMap(({ worker, local }) => [
        { worker, read: { kind: 'page', client: local, conversationId, label: 'Newest page' } },
        {
          worker,
          read: {
            kind: 'page',
            client: local,
            conversationId,
            beforeSeq: tenPagesBack,
            label: '10 pages back',
          },
        },
      ]);
      const pages = await runReads(setup, requests, rate, durationMs);
      const latencies = pages.latencies;
      const failed = pages.failed;
      const sent = pages.sent;

      // Numbers of the big conversation's messages: each is a word of one to eleven of them
      // ("12345" starts "12345" and "123450" to "123459").
      const numbers = Array.from({ length: SEARCH_NUMBERS }, (_, index) =>
        String(10_000 + Math.floor(((index + 0.5) / SEARCH_NUMBERS) * (lastSeq - 10_000))),
      );
      const { worker, local: client } = setup.placements[0]!;
      const searchReads: ReadRequest[] = numbers.flatMap((number) => [
        {
          kind: 'search',
          client,
          label: 'A number, in all my chats',
          query: number,
          expect: 'found',
        },
        {
          kind: 'search',
          client,
          label: 'Two words, in one chat',
          query: `message ${number}`,
          conversationId,
          expect: 'found',
        },
        {
          kind: 'search',
          client,
          label: 'A word in every message (refused)',
          query: 'generated',
          expect: 'too-broad',
        },
      ]);
      const searches = await runReads(
        setup,
        searchReads.map((read) => ({ worker, read })),
        ctx.quick ? 20 : SEARCH_RATE,
        durationMs,
      );
      const searchPlans = {
        'A number, in all my chats': await explainMessageSearch(db, {
          readerId,
          text: numbers[0]!,
          limit: SEARCH_PAGE_DEFAULT,
          matchesMax: SEARCH_MATCHES_MAX,
        }),
        'Two words, in one chat': await explainMessageSearch(db, {
          readerId,
          text: `message ${numbers[0]!}`,
          conversationId,
          limit: SEARCH_PAGE_DEFAULT,
          matchesMax: SEARCH_MATCHES_MAX,
        }),
      };
      const wordSearchP99 = Math.max(
        ...Object.entries(searches.latencies)
          .filter(([label]) => !label.includes('refused'))
          .map(([, summary]) => summary.p99Ms),
      );
      ctx.log(`  ${searches.sent} searches, p99 of word searches ${wordSearchP99} ms`);
      const people = await measurePeopleSearch(ctx, setup, db, readerId, peopleCount, durationMs);
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
        title: `6. History and search (${bigCount.toLocaleString('en')} messages in one conversation, ${total.toLocaleString('en')} in all)`,
        ok: failed === 0 && searches.failed === 0 && people.failed === 0,
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
          {
            title: `Message search: ${ctx.quick ? 20 : SEARCH_RATE} searches/s for ${durationMs / 1000} s by one person, over the socket (${SEARCH_NUMBERS} different numbers)`,
            columns: ['Search', 'Requests', 'p50', 'p95', 'p99', 'max (ms)'],
            rows: Object.entries(searches.latencies).map(([label, summary]) => [
              label,
              summary.count,
              ...formatLatency(summary),
            ]),
          },
          people.table,
          {
            title:
              'CPU per request over each of those steps (µs; the load generator is the clients)',
            columns: ['Requests', 'Server', 'PostgreSQL', 'Load generator'],
            rows: [
              cpuRow('History pages', pages.cpu),
              cpuRow('Message searches', searches.cpu),
              cpuRow('People searches', people.cpu),
            ],
          },
        ],
        targets: [
          {
            name: 'History page p99',
            target: '≤ 10 ms',
            measured: `${worst} ms`,
            met: worst <= 10 && failed === 0,
          },
          {
            name: 'Message search p99 at 50 searches/s',
            target: '≤ 50 ms',
            measured: `${wordSearchP99} ms`,
            met: wordSearchP99 <= 50 && searches.failed === 0,
          },
          people.target,
        ],
        notes: [
          'Query plans (EXPLAIN) of the page query:',
          ...Object.entries(plans).map(([label, plan]) => `${label}:\n\n\`\`\`\n${plan}\n\`\`\``),
          'Query plans (EXPLAIN) of the message search:',
          ...Object.entries(searchPlans).map(
            ([label, plan]) => `${label}:\n\n\`\`\`\n${plan}\n\`\`\``,
          ),
          ...people.notes,
        ],
        data: {
          sent,
          failed,
          latencies,
          cpu: pages.cpu,
          plans,
          lastSeq,
          searches,
          searchPlans,
          people: people.data,
        },
      };
    },
  );
}
