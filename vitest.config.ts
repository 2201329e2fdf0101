// Unit tests, the integration suite twice (on PGlite and on PostgreSQL), and the fault suite.
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
    ],
  },
});
