// Reads at a steady rate (history pages, message and people searches), spread over the workers
// of the clients that make them, and their latencies by label.

import { nowMicros } from '../histogram';
import type { ReadRequest } from '../protocol';
import { summarizeAll, type Setup } from '../steps';

/** A read and the worker whose client makes it. */
export interface WorkerRead {
  worker: number;
  read: ReadRequest;
}

/** Runs the reads at `rate` a second in all, each worker its own share, and summarises them. */
export async function runReads(
  setup: Setup,
  requests: WorkerRead[],
  rate: number,
  durationMs: number,
) {
  const startAtMicros = nowMicros() + 300_000;
  const replies = await setup.pool.all<'history-done'>((worker) => {
    const mine = requests.filter((request) => request.worker === worker);
    return {
      type: 'history',
      ratePerSecond: (rate * mine.length) / requests.length,
      durationMs,
      startAtMicros,
      requests: mine.map((request) => request.read),
    };
  });
  const merged = await setup.pool.report(true);
  return {
    latencies: summarizeAll(merged.extra),
    sent: replies.reduce((sum, reply) => sum + reply.sent, 0),
    failed: replies.reduce((sum, reply) => sum + reply.failed, 0),
    firstError: replies.find((reply) => reply.firstError)?.firstError,
  };
}
