// The benchmark's quick run (`npm run bench -- --quick`) as part of `npm test`, in three files
// of this folder that each run some of the scenarios, so that they run side by side with the
// cluster and fault suites: every scenario must be carried out, reconcile cleanly and have
// measured something. Its numbers mean nothing.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { MessageListData } from '../../bench/browser/message-list-report';
import type { BenchResults } from '../../bench/report';
import type { ScenarioId } from '../../bench/scenario-ids';
import type { StepResult } from '../../bench/steps';
import { PROJECT_ROOT } from '../helpers/paths';

/** The scenarios of each quick run: about the same time each (25 to 30 s alone). */
export const QUICK_GROUPS = {
  messages: ['fixed-rates', 'max-rate', 'fan-out'],
  connections: ['idle', 'storm', 'flood'],
  reads: ['history', 'message-list'],
} satisfies Record<string, ScenarioId[]>;

const TIMEOUT_MS = 5 * 60_000;

/** Runs the quick benchmark; resolves with its exit code and the tail of what it printed. */
function runQuickBench(
  ids: readonly ScenarioId[],
  name: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const args = ['tsx', 'bench/main.ts', '--quick', '--only', ids.join(','), '--name', name];
    const child = spawn('npx', args, {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS - 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Every step that sent traffic measured acks and deliveries, and reconciled. */
function expectMeasuredSteps(steps: StepResult[]): void {
  expect(steps.length).toBeGreaterThan(0);
  for (const step of steps) {
    expect(step.acked).toBeGreaterThan(0);
    expect(step.ack.count).toBeGreaterThan(0);
    expect(step.delivery.count).toBeGreaterThan(0);
    expect(step.deliveriesPerSecond).toBeGreaterThan(0);
    expect(step.reconciliation.ok, step.reconciliation.problems.join('\n')).toBe(true);
    expect(step.reconciliation.delivered).toBeGreaterThan(0);
    // Every message goes out of the server and out of the generator through socket writes.
    expect(step.syscalls.server.writes).toBeGreaterThan(0);
    expect(step.syscalls.server.reads).toBeGreaterThan(0);
    expect(step.syscalls.generator.writes).toBeGreaterThan(0);
  }
}

/** What each scenario's data must show, given as `data` in its results. */
const CHECKS: Record<ScenarioId, (data: unknown) => void> = {
  'fixed-rates': (data) => {
    const fixedRates = data as { variant: string; steps: StepResult[] }[];
    expect(fixedRates.length).toBeGreaterThan(0);
    for (const run of fixedRates) {
      expectMeasuredSteps(run.steps);
      for (const step of run.steps) expect(step.reconciliation.stored).toBeGreaterThan(0);
    }
  },
  'max-rate': (data) => {
    // Not maxSustained: whether a rate passes depends on latency, which on a busy machine
    // may miss its limit; the quick run's numbers are not judged.
    const maxRate = data as { target: string; steps: StepResult[] }[];
    expect(maxRate.map((search) => search.target)).toEqual([
      'Bare Socket.IO relay',
      'Parley, 1 node',
    ]);
    for (const search of maxRate) expectMeasuredSteps(search.steps);
  },
  'fan-out': (data) => {
    const fanOut = data as { target: string; steps: StepResult[] }[];
    expect(fanOut.length).toBe(2);
    for (const run of fanOut) {
      expectMeasuredSteps(run.steps);
      for (const step of run.steps) expect(step.lastMember?.count, run.target).toBeGreaterThan(0);
    }
  },
  idle: (data) => {
    const idle = data as {
      target: string;
      perNode: number;
      nodes: number;
      connectPerSecond: number;
    }[];
    // Parley on its nodes, Parley on one node (for its rate of connections), the relay.
    expect(idle.map((result) => result.nodes)).toEqual([1, 1, 1]);
    for (const result of idle) {
      expect(result.perNode * result.nodes, result.target).toBeGreaterThan(0);
      expect(result.connectPerSecond, result.target).toBeGreaterThan(0);
    }
  },
  storm: (data) => {
    const storm = data as {
      clients: number;
      dropped: number;
      allSyncedMs: number;
      pending: number;
      step: StepResult;
    };
    expect(storm.dropped).toBeGreaterThan(0);
    expect(storm.pending).toBe(0);
    expect(storm.allSyncedMs).toBeGreaterThan(0);
    expectMeasuredSteps([storm.step]);
    expect(storm.step.extra.resync?.count).toBeGreaterThan(0);
  },
  history: (data) => {
    const history = data as {
      sent: number;
      failed: number;
      latencies: Record<string, { count: number }>;
      lastSeq: number;
    };
    expect(history.sent).toBeGreaterThan(0);
    expect(history.failed).toBe(0);
    expect(history.lastSeq).toBeGreaterThan(0);
    expect(Object.keys(history.latencies).sort()).toEqual(['10 pages back', 'Newest page']);
    for (const [label, summary] of Object.entries(history.latencies)) {
      expect(summary.count, label).toBeGreaterThan(0);
    }
  },
  flood: (data) => {
    const flood = data as {
      quiet: StepResult;
      flooded: StepResult;
      floodCounts: { answered: number };
    };
    expectMeasuredSteps([flood.quiet, flood.flooded]);
    expect(flood.floodCounts.answered).toBeGreaterThan(0);
  },
  'message-list': (data) => {
    // The phone held every message, opened the chat at the newest each time, and scrolled up
    // to the message asked for, frame by frame.
    const messageList = data as MessageListData;
    expect(messageList.messages).toBeGreaterThan(0);
    expect(messageList.openings.length).toBeGreaterThan(0);
    for (const opening of messageList.openings) expect(opening.rows).toBeGreaterThan(0);
    expect(messageList.scroll.isReached).toBe(true);
    expect(messageList.scroll.frames.count).toBeGreaterThan(0);
  },
};

/** A test that runs these scenarios of the quick benchmark and checks what each measured. */
export function testQuickRun(ids: readonly ScenarioId[]): void {
  const name = `vitest-${ids[0]}-${process.pid}-${Date.now().toString(36)}`;
  const basePath = join(PROJECT_ROOT, 'bench', 'results', 'quick', name);

  afterAll(() => {
    for (const file of [`${basePath}.json`, `${basePath}.md`]) rmSync(file, { force: true });
  });

  it(
    `runs ${ids.join(', ')} of the quick benchmark cleanly`,
    async () => {
      const { code, output } = await runQuickBench(ids, name);
      expect(code, output).toBe(0);

      const jsonPath = `${basePath}.json`;
      expect(existsSync(jsonPath), output).toBe(true);
      const results = JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchResults;
      expect(results.quick).toBe(true);
      expect(results.name).toBe(name);
      expect(results.errors).toEqual([]);
      expect(results.scenarios.map((scenario) => scenario.id)).toEqual(ids);
      for (const scenario of results.scenarios) {
        expect(scenario.ok, `${scenario.id} is not ok`).toBe(true);
        expect(scenario.tables.length, scenario.id).toBeGreaterThan(0);
        CHECKS[scenario.id as ScenarioId](scenario.data);
      }
    },
    TIMEOUT_MS,
  );
}
