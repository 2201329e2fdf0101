// Reads at a steady rate (history pages, message and people searches), spread over the workers
// of the clients that make them, and their latencies by label.

import { nowMicros } from '../histogram';
import type { ReadRequest } from '../protocol';
import { round, summarizeAll, type Setup } from '../steps';
import { CpuMeter } from '../system';

/** A read and the worker whose client makes it. */
export interface WorkerRead {
  worker: number;
  read: ReadRequest;
}

/** CPU time per read over the measured reads (µs): the server's nodes, PostgreSQL, the clients. */
export interface ReadCpu {
  serverMicrosPerRead: number;
  postgresMicrosPerRead: number;
  generatorMicrosPerRead: number;
}

/**
 * Runs the reads at `rate` a second in all, each worker its own share, and summarises them,
 * with what they cost each process in CPU.
 * A warm-up of the same reads comes first (a fifth of the duration, at most 3 s), as the
 * message steps have one: the first reads of a process pay for its cold code and for each
 * database connection's first look at the tables. Its latencies are dropped; a read that
 * failed there is counted with the rest.
 */
export async function runReads(
  setup: Setup,
  requests: WorkerRead[],
  rate: number,
  durationMs: number,
) {
  const warmUp = await readAtRate(setup, requests, rate, Math.min(3_000, durationMs / 5));
  await setup.pool.report(true);
  const meter = new CpuMeter(() => setup.target.pids());
  const measured = await readAtRate(setup, requests, rate, durationMs);
  const used = meter.read();
  const merged = await setup.pool.report(true);
  const perRead = (micros: number) => (measured.sent ? round(micros / measured.sent) : 0);
  const cpu: ReadCpu = {
    serverMicrosPerRead: perRead(used.processesMicros),
    postgresMicrosPerRead: perRead(used.postgresMicros),
    generatorMicrosPerRead: perRead(merged.workerCpuMicros),
  };
  return {
    latencies: summarizeAll(merged.extra),
    cpu,
    sent: measured.sent,
    failed: warmUp.failed + measured.failed,
    firstError: warmUp.firstError ?? measured.firstError,
  };
}

async function readAtRate(setup: Setup, requests: WorkerRead[], rate: number, durationMs: number) {
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
  return {
    sent: replies.reduce((sum, reply) => sum + reply.sent, 0),
    failed: replies.reduce((sum, reply) => sum + reply.failed, 0),
    firstError: replies.find((reply) => reply.firstError)?.firstError,
  };
}
