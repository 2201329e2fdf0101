'use client';
// A page that failed to render: a generic message and a retry. What went wrong is in the
// server's log (Next never sends a server error's message or stack to the browser in
// production), so nothing of it is shown here.

import appStatus from '../components/app-status.module.css';
import controls from '../components/controls.module.css';

export default function PageError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <main className={appStatus.status} role="alert">
      <h1>Something went wrong</h1>
      <p>Parley could not show this page. Please try again.</p>
      <button type="button" className={controls.primaryButton} onClick={() => retry()}>
        Try again
      </button>
    </main>
  );
}
