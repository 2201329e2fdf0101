// The Next.js build as a page handler, in the test's own process, for the tests of what pages
// answer (their Content-Security-Policy, headers, the admin page). The build must exist:
// the suites' global setup makes it (scripts/ensure-build.mjs).

import next from 'next';
import type { PageHandler } from '../../server/parley';
import { PROJECT_ROOT } from './paths';

export interface NextPages {
  handle: PageHandler;
  close(): Promise<void>;
}

/**
 * Next.js replaces the process's global `fetch` with its own (for its data cache). The test
 * files of a worker share one process (`isolate: false`), so closing puts the original back:
 * the patched one leaves later files' requests outside a page's render hanging.
 */
export async function startNextPages(): Promise<NextPages> {
  const originalFetch = globalThis.fetch;
  const app = next({ dev: false, dir: PROJECT_ROOT });
  await app.prepare();
  return {
    handle: app.getRequestHandler(),
    close: async () => {
      await app.close();
      globalThis.fetch = originalFetch;
    },
  };
}
