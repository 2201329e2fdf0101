// Unit tests, and the integration suite twice: on PGlite and on PostgreSQL.
// Playwright specs in e2e/ are run by `playwright test`, never by Vitest.

import { defineConfig } from 'vitest/config';

const integration = {
  include: ['test/integration/**/*.test.ts'],
  globalSetup: ['test/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'pglite', ...integration, env: { PARLEY_TEST_DB: 'pglite' } } },
      { test: { name: 'postgres', ...integration, env: { PARLEY_TEST_DB: 'postgres' } } },
    ],
  },
});
