// `npm test` runs the benchmark's quick run in parts (test/bench/): together they must run
// every scenario the benchmark has, each once.
import { expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../bench/scenario-ids';
import { QUICK_GROUPS } from '../bench/quick-run';

it('the quick runs of npm test together cover every scenario of the benchmark, each once', () => {
  const covered = Object.values(QUICK_GROUPS).flat();
  expect([...covered].sort()).toEqual([...SCENARIO_IDS].sort());
});
