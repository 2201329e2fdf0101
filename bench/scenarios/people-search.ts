// The people-search part of the history scenario: 100,000 people with names in many scripts,
// searched by one person at 50 a second by the start of a first name (one person in 50 has
// it), of a first and a last name, and of a username.

import type { Database } from '../../db';
import { explainPeopleSearch, seedPeople } from '../../db/seed';
import { PEOPLE_SEARCH_MAX } from '../../protocol';
import type { ReadRequest } from '../protocol';
import { formatLatency, type BenchContext } from '../scenario';
import type { Setup } from '../steps';
import { runReads } from './reads';

const PREFIX = 'person';
const RATE = 50;
const TARGET_P99_MS = 20;

/** The people searched for; returns how many. */
export async function seedPeopleToFind(ctx: BenchContext, db: Database): Promise<number> {
  const count = ctx.quick ? 2_000 : 100_000;
  await seedPeople(db, PREFIX, count);
  return count;
}

const QUERIES: { label: string; queries: string[] }[] = [
  { label: 'The start of a first name', queries: ['ada', 'мари', 'jon', 'ελέ', '美咲', 'kof'] },
  { label: 'A first and a last name', queries: ['ada mül', 'мария ива', 'jonas wag', 'hugo kim'] },
  {
    label: 'A username',
    queries: [`${PREFIX}1234`, `${PREFIX}777`, `${PREFIX}1999`, `${PREFIX}99`],
  },
];

export async function measurePeopleSearch(
  ctx: BenchContext,
  setup: Setup,
  db: Database,
  searcherId: string,
  people: number,
  durationMs: number,
) {
  const { worker, local: client } = setup.placements[0]!;
  const reads: ReadRequest[] = QUERIES.flatMap(({ label, queries }) =>
    queries.map((query) => ({ kind: 'people' as const, client, label, query })),
  );
  const rate = ctx.quick ? 20 : RATE;
  const measured = await runReads(
    setup,
    reads.map((read) => ({ worker, read })),
    rate,
    durationMs,
  );
  const p99 = Math.max(...Object.values(measured.latencies).map((summary) => summary.p99Ms));
  ctx.log(`  ${measured.sent} people searches, p99 ${p99} ms`);
  const plans = Object.fromEntries(
    await Promise.all(
      QUERIES.map(
        async ({ label, queries }) =>
          [
            label,
            await explainPeopleSearch(db, {
              searcherId,
              text: queries[0]!,
              limit: PEOPLE_SEARCH_MAX,
            }),
          ] as const,
      ),
    ),
  );
  return {
    table: {
      title: `People search: ${rate} searches/s for ${durationMs / 1000} s by one person, among ${people.toLocaleString('en')} people, over the socket`,
      columns: ['Search', 'Requests', 'p50', 'p95', 'p99', 'max (ms)'],
      rows: Object.entries(measured.latencies).map(([label, summary]) => [
        label,
        summary.count,
        ...formatLatency(summary),
      ]),
    },
    target: {
      name: `People search p99 at ${RATE} searches/s`,
      target: `≤ ${TARGET_P99_MS} ms`,
      measured: `${p99} ms`,
      met: p99 <= TARGET_P99_MS && measured.failed === 0,
    },
    notes: [
      'Query plans (EXPLAIN) of the people search:',
      ...Object.entries(plans).map(([label, plan]) => `${label}:\n\n\`\`\`\n${plan}\n\`\`\``),
    ],
    data: { ...measured, plans, people },
    failed: measured.failed,
    cpu: measured.cpu,
  };
}
