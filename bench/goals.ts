// The performance targets a run is judged by (issue 15), each as the issue states it: ratios to
// the bare relay where one applies, and every node count measured. A scenario hands in what it
// measured and gets its rows of the report's table of targets.

import type { TargetCheck } from './scenario';
import { kb, round, type StepResult } from './steps';

/** Bounds at 1,000 msg/s on one node. */
export const ACK_P99_MS = 8;
export const DELIVERY_P99_MS = 10;
export const CPU_MICROS_PER_MESSAGE = 300;
/** The highest persisted rate, as a share of the relay's; two nodes' as a share of one's. */
export const SHARE_OF_RELAY = 0.5;
export const TWO_NODES_SHARE_OF_ONE = 0.8;
/** Fan-out: deliveries per second as a share of the relay's, with the last member's p99 bound. */
export const FAN_OUT_SHARE_OF_RELAY = 0.5;
export const IDLE_RSS_PER_SOCKET_BYTES = 15 * 1024;

type RateStep = Pick<StepResult, 'ratePerSecond' | 'ack' | 'delivery' | 'cpu' | 'syscalls'>;

const percent = (share: number) => `${round(share * 100)}%`;

/** Latency, CPU and socket writes of one node at fixed rates. */
export function fixedRateGoals(steps: RateStep[]): TargetCheck[] {
  const at1000 = steps.find((step) => step.ratePerSecond === 1_000);
  const at250 = steps.find((step) => step.ratePerSecond === 250);
  const checks: TargetCheck[] = [];
  if (at1000) {
    const cpu = at1000.cpu.serverMicrosPerMessage + at1000.cpu.postgresMicrosPerMessage;
    checks.push(
      {
        name: 'Ack p99 at 1,000 msg/s (1 node)',
        target: `≤ ${ACK_P99_MS} ms`,
        measured: `${at1000.ack.p99Ms} ms`,
        met: at1000.ack.p99Ms <= ACK_P99_MS,
      },
      {
        name: 'Delivery p99 at 1,000 msg/s (1 node)',
        target: `≤ ${DELIVERY_P99_MS} ms`,
        measured: `${at1000.delivery.p99Ms} ms`,
        met: at1000.delivery.p99Ms <= DELIVERY_P99_MS,
      },
      {
        name: 'Server + PostgreSQL CPU per message at 1,000 msg/s (1 node)',
        target: `≤ ${CPU_MICROS_PER_MESSAGE} µs`,
        measured: `${cpu} µs (${at1000.cpu.serverMicrosPerMessage} + ${at1000.cpu.postgresMicrosPerMessage})`,
        met: cpu <= CPU_MICROS_PER_MESSAGE,
      },
    );
  }
  for (const [step, rate, most] of [
    [at1000, '1,000', 4],
    [at250, '250', 5],
  ] as const) {
    if (!step) continue;
    checks.push({
      name: `Server socket writes per message at ${rate} msg/s (1 node)`,
      target: `≤ ${most}`,
      measured: String(step.syscalls.server.writes),
      met: step.syscalls.server.writes <= most,
    });
  }
  return checks;
}

/** The highest sustained rates: the relay's, one node's and (in a full run) two nodes'. */
export function maxRateGoals(relay: number, oneNode: number, twoNodes?: number): TargetCheck[] {
  const share = relay ? oneNode / relay : 0;
  const checks: TargetCheck[] = [
    {
      name: 'Highest persisted rate, one node, as a share of the bare relay',
      target: `≥ ${percent(SHARE_OF_RELAY)}`,
      measured: `${percent(share)} (${oneNode} msg/s; relay ${relay})`,
      met: share >= SHARE_OF_RELAY,
    },
  ];
  if (twoNodes !== undefined) {
    const ofOne = oneNode ? twoNodes / oneNode : 0;
    checks.push({
      name: 'Highest persisted rate, two nodes + Redis, as a share of one node',
      target: `≥ ${percent(TWO_NODES_SHARE_OF_ONE)}`,
      measured: `${percent(ofOne)} (${twoNodes} msg/s)`,
      met: ofOne >= TWO_NODES_SHARE_OF_ONE,
    });
  }
  return checks;
}

/**
 * Fan-out: the most deliveries a second at a rate whose last-member p99 kept within its bound,
 * Parley's against the relay's (`lastMemberP99Ms` undefined when no rate of Parley's passed).
 */
export function fanOutGoals(
  members: number,
  relayDeliveries: number,
  deliveries: number,
  lastMemberP99Ms: number | undefined,
  limitMs: number,
): TargetCheck[] {
  const share = relayDeliveries ? deliveries / relayDeliveries : 0;
  return [
    {
      name: `Fan-out to ${members} members, as a share of the bare relay's deliveries`,
      target: `≥ ${percent(FAN_OUT_SHARE_OF_RELAY)} with the last member's p99 ≤ ${limitMs} ms`,
      measured:
        lastMemberP99Ms === undefined
          ? 'no rate passed'
          : `${percent(share)} (${deliveries} deliveries/s, relay ${relayDeliveries}; p99 ${lastMemberP99Ms} ms)`,
      met: lastMemberP99Ms !== undefined && share >= FAN_OUT_SHARE_OF_RELAY,
    },
  ];
}

/** Memory per idle authenticated socket, one row for every node count measured. */
export function idleMemoryGoals(
  runs: { nodes: number; perNode: number; rssPerConnection: number; heapPerConnection: number }[],
): TargetCheck[] {
  return runs.map((run) => ({
    name:
      run.nodes === 1
        ? `Memory per idle authenticated socket, one node (${run.perNode} sockets)`
        : `Memory per idle authenticated socket, ${run.nodes} nodes (${run.perNode} sockets each)`,
    target: `≤ ${kb(IDLE_RSS_PER_SOCKET_BYTES)} KB RSS`,
    measured: `${kb(run.rssPerConnection)} KB RSS, ${kb(run.heapPerConnection)} KB heap`,
    met: run.rssPerConnection <= IDLE_RSS_PER_SOCKET_BYTES,
  }));
}
