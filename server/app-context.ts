// The bridge between the custom server and Next.js's server components. Next bundles pages
// separately from server/, so module-level singletons would exist twice (two PGlite instances
// on one folder diverge silently). The server publishes here what pages need, once; app/
// reaches it only through getAppContext(). Keep this file free of runtime imports.

import type { AuthenticatedSession } from './auth/sessions';

export interface AppContext {
  /** The signed-in user for a session cookie token, or null. */
  authenticate(token: string | undefined): Promise<AuthenticatedSession | null>;
}

const KEY = Symbol.for('parley.app-context');

type WithContext = typeof globalThis & { [KEY]?: AppContext };

export function setAppContext(context: AppContext): void {
  (globalThis as WithContext)[KEY] = context;
}

export function getAppContext(): AppContext {
  const context = (globalThis as WithContext)[KEY];
  if (!context) {
    throw new Error('Parley must be started with its own server (npm start), not with next start.');
  }
  return context;
}
