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

export async function startNextPages(): Promise<NextPages> {
  const app = next({ dev: false, dir: PROJECT_ROOT });
  await app.prepare();
  return { handle: app.getRequestHandler(), close: () => app.close() };
}
