// The benchmark judges a run by issue 15's targets as the issue states them (bench/goals.ts): a
// report that called 13 ms "met" against a bound of 8, or judged only the two-node memory, would
// say the software is faster than it is.

import { describe, expect, it } from 'vitest';
import { fanOutGoals, fixedRateGoals, idleMemoryGoals, maxRateGoals } from '../../bench/goals';

const latency = (p99Ms: number) => ({ count: 1_000, p50Ms: 1, p95Ms: p99Ms, p99Ms, maxMs: p99Ms });

function step(
  ratePerSecond: number,
  ackP99: number,
  deliveryP99: number,
  cpu: [number, number],
  writes: number,
) {
  return {
    ratePerSecond,
    ack: latency(ackP99),
    delivery: latency(deliveryP99),
    cpu: {
      serverPercent: 30,
      postgresPercent: 30,
      workersPercent: 20,
      serverMicrosPerMessage: cpu[0],
      postgresMicrosPerMessage: cpu[1],
    },
    syscalls: {
      server: { reads: 2, writes },
      postgres: { reads: 1, writes: 1 },
      generator: { reads: 2, writes: 2 },
    },
  };
}

const verdicts = (checks: { name: string; met: boolean }[]) =>
  Object.fromEntries(checks.map((check) => [check.name, check.met]));

describe('the benchmark’s targets', () => {
  it('hold one node at 1,000 msg/s to an ack p99 of 8 ms, delivery of 10 ms, 300 µs of CPU', () => {
    const within = fixedRateGoals([
      step(250, 20, 20, [900, 900], 5),
      step(1_000, 8, 10, [150, 150], 4),
    ]);
    expect(Object.values(verdicts(within))).toEqual([true, true, true, true, true]);

    const over = fixedRateGoals([
      step(250, 1, 1, [1, 1], 5.1),
      step(1_000, 8.1, 10.1, [151, 150], 4.1),
    ]);
    expect(verdicts(over)).toEqual({
      'Ack p99 at 1,000 msg/s (1 node)': false,
      'Delivery p99 at 1,000 msg/s (1 node)': false,
      'Server + PostgreSQL CPU per message at 1,000 msg/s (1 node)': false,
      'Server socket writes per message at 1,000 msg/s (1 node)': false,
      'Server socket writes per message at 250 msg/s (1 node)': false,
    });
    expect(over[2]!.measured).toBe('301 µs (151 + 150)');
  });

  it('hold the highest rate to half the relay’s, and two nodes to 80% of one', () => {
    expect(verdicts(maxRateGoals(10_000, 5_000, 4_000))).toEqual({
      'Highest persisted rate, one node, as a share of the bare relay': true,
      'Highest persisted rate, two nodes + Redis, as a share of one node': true,
    });
    expect(maxRateGoals(10_000, 4_900, 3_900).map((check) => check.met)).toEqual([false, false]);
    // The quick run has no two-node search, and a relay that sustained nothing shares nothing.
    expect(maxRateGoals(0, 1_000)).toHaveLength(1);
    expect(maxRateGoals(0, 1_000)[0]!.met).toBe(false);
  });

  it('hold fan-out to half the relay’s deliveries at a rate within the last member’s bound', () => {
    expect(fanOutGoals(1_000, 74_925, 49_950, 185, 250)[0]!.met).toBe(true);
    expect(fanOutGoals(1_000, 99_900, 49_950, 111, 250)[0]!.met).toBe(true);
    expect(fanOutGoals(1_000, 100_000, 49_950, 111, 250)[0]!.met).toBe(false);
    expect(fanOutGoals(1_000, 49_950, 0, undefined, 250)[0]).toMatchObject({
      measured: 'no rate passed',
      met: false,
    });
  });

  it('hold every node count measured to 15 KB of RSS per idle socket', () => {
    const checks = idleMemoryGoals([
      { nodes: 1, perNode: 10_000, rssPerConnection: 14.5 * 1024, heapPerConnection: 13 * 1024 },
      { nodes: 2, perNode: 19_000, rssPerConnection: 16.4 * 1024, heapPerConnection: 13 * 1024 },
    ]);
    expect(checks.map((check) => [check.name, check.met])).toEqual([
      ['Memory per idle authenticated socket, one node (10000 sockets)', true],
      ['Memory per idle authenticated socket, 2 nodes (19000 sockets each)', false],
    ]);
  });
});
