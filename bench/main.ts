// `npm run bench`: starts what it needs, runs the scenarios and writes the results.
//   npm run bench                       every scenario, full size (about half an hour)
//   npm run bench -- --quick            a smoke run of seconds per scenario (part of npm test)
//   npm run bench -- --only max-rate    some scenarios (ids: fixed-rates, max-rate, fan-out,
//                                       idle, storm, history, flood, message-list),
//                                       comma-separated
//   npm run bench -- --name mine        results in bench/results/mine.json and .md
//   npm run bench -- --help             what it accepts

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BenchUsageError, parseBenchArgs, USAGE, type BenchArgs } from './args';
import { toMarkdown, writeResults, type BenchResults } from './report';
import type { BenchContext, ScenarioResult } from './scenario';
import type { ScenarioId } from './scenario-ids';
import { fanOut } from './scenarios/fan-out';
import { fixedRates } from './scenarios/fixed-rates';
import { readFlood } from './scenarios/flood';
import { historyPages } from './scenarios/history';
import { idleConnections } from './scenarios/idle';
import { maxRate } from './scenarios/max-rate';
import { messageList } from './scenarios/message-list';
import { reconnectStorm } from './scenarios/storm';
import { describeMachine } from './system';
import { createBenchDatabase } from './targets';
import { PROJECT_ROOT } from '../test/helpers/paths';

const SCENARIOS: Record<ScenarioId, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  'fixed-rates': fixedRates,
  'max-rate': maxRate,
  'fan-out': fanOut,
  idle: idleConnections,
  storm: reconnectStorm,
  history: historyPages,
  flood: readFlood,
  'message-list': messageList,
};

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { quick, only } = args;
  const name = args.name ?? (quick ? 'quick' : new Date().toISOString().slice(0, 10));
  const basePath = join(PROJECT_ROOT, 'bench', 'results', ...(quick ? ['quick'] : []), name);

  const startedAt = new Date();
  const database = await createBenchDatabase();
  const log = (message: string) => console.log(message);
  const results: BenchResults = {
    name,
    quick,
    startedAt: startedAt.toISOString(),
    durationSeconds: 0,
    commit: gitCommit(),
    machine: describeMachine(database.version),
    scenarios: [],
    errors: [],
  };
  try {
    for (const id of only) {
      log(`${id}${quick ? ' (quick)' : ''}`);
      try {
        results.scenarios.push(await SCENARIOS[id]({ quick, database, log }));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`  ${id} could not run: ${message}`);
        results.errors.push({ scenario: id, error: message });
      }
    }
  } finally {
    await database.drop();
  }
  results.durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  const written = writeResults(results, basePath);
  if (!quick) console.log(`\n${toMarkdown(results)}`);
  const failed = results.scenarios.filter((scenario) => !scenario.ok);
  const missed = results.scenarios.flatMap((scenario) =>
    scenario.targets.filter((target) => !target.met),
  );
  console.log(`\nResults: ${written.markdown} and ${written.json}`);
  if (!quick && missed.length)
    console.log(`Targets missed: ${missed.map((target) => target.name).join('; ')}`);
  if (failed.length || results.errors.length) {
    console.error(
      `Benchmark failed: ${[...failed.map((scenario) => `${scenario.id} lost or doubled messages, or requests failed`), ...results.errors.map((error) => `${error.scenario}: ${error.error}`)].join('; ')}`,
    );
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
