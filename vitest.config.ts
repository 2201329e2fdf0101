// Unit tests, the integration suite twice (on PGlite and on PostgreSQL), the fault suites, and
// the benchmark's quick run.
// Playwright specs in e2e/ are run by `playwright test`, never by Vitest.

import { defineConfig } from 'vitest/config';

// Groups run one after the other. First the unit and integration files, two at a time: each
// integration file builds its own server in-process on a database of its own. Then the cluster
// and fault suites (server processes: three nodes and nginx, crashes), one file at a time. Last
// the quick benchmark, alone: it loads the machine and measures CPU.
const together = { maxWorkers: 2, sequence: { groupOrder: 0 } };
const oneByOne = { maxWorkers: 1, sequence: { groupOrder: 1 } };
const alone = { maxWorkers: 1, sequence: { groupOrder: 2 } };

const integration = {
  ...together,
  include: ['test/integration/**/*.test.ts'],
  globalSetup: ['test/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', ...together, include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'pglite', ...integration, env: { PARLEY_TEST_DB: 'pglite' } } },
      { test: { name: 'postgres', ...integration, env: { PARLEY_TEST_DB: 'postgres' } } },
      {
        // Several nodes on PostgreSQL and Redis behind nginx, and their faults.
        test: {
          ...oneByOne,
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          env: { PARLEY_TEST_DB: 'postgres' },
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Delivery under faults: its own PostgreSQL cluster, server crashes, dropped sockets.
        test: {
          ...oneByOne,
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        // `bench/main.ts --quick` (about 80 s) on the PostgreSQL at 127.0.0.1:5432.
        test: {
          ...alone,
          name: 'bench',
          include: ['test/bench/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
