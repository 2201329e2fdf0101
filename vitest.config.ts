// Unit tests, the integration suite twice (on PGlite and on PostgreSQL), the fault suites, and
// the benchmark's quick run.
// Playwright specs in e2e/ are run by `playwright test`, never by Vitest.

import { defineConfig } from 'vitest/config';

// Groups run one after the other; the projects of a group run side by side. First the unit and
// integration files, two at a time: each integration file builds its own server in-process on a
// database of its own, and together they keep both cores busy. Then the suites of server
// processes, which mostly wait for processes to start, die and reconnect: the cluster suite
// (three nodes and nginx), the fault suite (crashes) and the quick benchmark (whose numbers mean
// nothing), three files at a time. Each file has its own ports, databases and Redis. (The
// projects of a group share one pool of maxWorkers, which must be the same for all of them.)
//
// The unit and integration files of a worker share its process (no isolation): each file
// building its own module graph again cost more CPU than the tests themselves. A test file
// therefore leaves no global behind: fake timers and stubbed globals are undone after use, and
// test/helpers/next-pages.ts gives back the `fetch` Next.js replaces.
const setupFiles = ['test/remove-temp-dirs.ts'];
const together = { maxWorkers: 2, isolate: false, setupFiles, sequence: { groupOrder: 0 } };
const processes = { maxWorkers: 3, setupFiles, sequence: { groupOrder: 1 } };

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
          ...processes,
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
          ...processes,
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        // `bench/main.ts --quick` on the PostgreSQL at 127.0.0.1:5432, in three runs of some
        // scenarios each (25 to 30 s alone), so that they fill the group's workers beside the
        // cluster and fault files instead of one run of 80 s outlasting them all.
        test: {
          ...processes,
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
