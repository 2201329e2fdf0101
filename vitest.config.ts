// Unit tests, the integration suite twice (on PGlite and on PostgreSQL), the fault suites, and
// the benchmark's quick run.
// Playwright specs in e2e/ are run by `playwright test`, never by Vitest.

import { defineConfig } from 'vitest/config';

const integration = {
  include: ['test/integration/**/*.test.ts'],
  globalSetup: ['test/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'pglite', ...integration, env: { PARLEY_TEST_DB: 'pglite' } } },
      { test: { name: 'postgres', ...integration, env: { PARLEY_TEST_DB: 'postgres' } } },
      {
        // Several nodes on PostgreSQL and Redis behind nginx, and their faults.
        test: {
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
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        // `bench/main.ts --quick` (about 80 s) on the PostgreSQL at 127.0.0.1:5432. It runs last,
        // alone, once every other project is done: it loads the machine and measures CPU.
        test: {
          name: 'bench',
          include: ['test/bench/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
