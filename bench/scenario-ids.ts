// The benchmark's scenarios, by the id `--only` takes: bench/main.ts runs one for each, and the
// quick runs of `npm test` (test/bench/) must cover them all.

export const SCENARIO_IDS = [
  'fixed-rates',
  'max-rate',
  'fan-out',
  'idle',
  'storm',
  'history',
  'flood',
  'message-list',
] as const;

export type ScenarioId = (typeof SCENARIO_IDS)[number];
