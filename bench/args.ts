// The command line of `npm run bench`, read into what to run, or refused with a message that says
// what was wrong and what is accepted.

import { parseArgs } from 'node:util';
import { SCENARIO_IDS, type ScenarioId } from './scenario-ids';

export const USAGE = [
  'Usage: npm run bench [-- options]',
  '  --quick           a smoke run of seconds per scenario (part of npm test)',
  `  --only <ids>      some scenarios, comma-separated: ${SCENARIO_IDS.join(', ')}`,
  '  --name <name>     results in bench/results/<name>.json and .md (default: the date)',
  '  --help            this text',
].join('\n');

export type BenchArgs =
  { help: true } | { help: false; quick: boolean; only: ScenarioId[]; name: string | undefined };

export class BenchUsageError extends Error {}

function isScenarioId(id: string): id is ScenarioId {
  return (SCENARIO_IDS as readonly string[]).includes(id);
}

export function parseBenchArgs(args: string[]): BenchArgs {
  let values: { quick?: boolean; only?: string; name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    // node:util's own words, e.g. "Unknown option '--fast'", or an option without its value.
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  const asked = values.only?.split(',').map((id) => id.trim()) ?? [...SCENARIO_IDS];
  const unknown = asked.filter((id) => !isScenarioId(id));
  if (unknown.length) {
    throw new BenchUsageError(
      `Unknown scenario ${unknown.map((id) => `"${id}"`).join(', ')}. Known: ${SCENARIO_IDS.join(', ')}.`,
    );
  }
  if (values.name !== undefined && !/^[\w.-]+$/.test(values.name)) {
    throw new BenchUsageError(
      `--name "${values.name}" is not a file name: use letters, digits, dots, dashes and underscores.`,
    );
  }
  return {
    help: false,
    quick: values.quick ?? false,
    only: asked.filter(isScenarioId),
    name: values.name,
  };
}
