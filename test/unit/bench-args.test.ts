// `npm run bench`'s command line (bench/args.ts): what it runs, and a clear refusal of anything
// it does not understand, instead of a stack trace.

import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from '../../bench/args';
import { SCENARIO_IDS } from '../../bench/scenario-ids';

describe('the benchmark’s command line', () => {
  it('runs every scenario at full size by default, or the ones named', () => {
    expect(parseBenchArgs([])).toEqual({
      help: false,
      quick: false,
      only: [...SCENARIO_IDS],
      name: undefined,
    });
    expect(parseBenchArgs(['--quick', '--only', 'idle, storm', '--name', 'mine-1'])).toEqual({
      help: false,
      quick: true,
      only: ['idle', 'storm'],
      name: 'mine-1',
    });
    expect(parseBenchArgs(['--help'])).toEqual({ help: true });
  });

  it('refuses an unknown option, an unknown scenario and a name that is not a file name', () => {
    const refusal = (args: string[]) => {
      try {
        parseBenchArgs(args);
      } catch (error) {
        expect(error).toBeInstanceOf(BenchUsageError);
        return (error as Error).message;
      }
      throw new Error(`${args.join(' ')} was accepted`);
    };
    expect(refusal(['--fast'])).toMatch(/Unknown option '--fast'/);
    expect(refusal(['--only'])).toMatch(/--only/);
    expect(refusal(['--only', 'idle,speed'])).toBe(
      `Unknown scenario "speed". Known: ${SCENARIO_IDS.join(', ')}.`,
    );
    expect(refusal(['--name', '../elsewhere'])).toMatch(/is not a file name/);
  });
});
