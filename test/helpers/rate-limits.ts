// Rate limits that tests and benchmarks set through the settings, as an admin would, when they
// legitimately go beyond what one person or one address may do: every person of a suite signs
// up from 127.0.0.1, the fault suites send 20 messages a second per person, the benchmark
// opens thousands of sockets per address. The defaults themselves stay as shipped.

import type { Settings } from '../../protocol';

/** Nothing a test or benchmark does comes near these. */
export const GENEROUS_LIMITS = {
  messagesPerSecond: 10_000,
  messageBurst: 100_000,
  typingPerMinute: 100_000,
  conversationsPerHour: 100_000,
  groupsPerHour: 100_000,
  searchesPerMinute: 100_000,
  signUpsPerIpPerHour: 1_000_000,
  signInFailuresPerIpPerHour: 1_000_000,
  signInFailuresBeforeDelay: 1_000,
  workPointsPerSecond: 1_000_000,
  workBurst: 100_000_000,
  socketsPerUser: 100_000,
  socketsPerIp: 1_000_000,
} satisfies Partial<Settings>;

/**
 * What every integration suite (setupSuite) starts with: its people all sign up from one
 * address, far more than the default allows an hour. Everything else keeps its default.
 */
export const SUITE_BASELINE: Partial<Settings> = {
  signUpsPerIpPerHour: GENEROUS_LIMITS.signUpsPerIpPerHour,
};
