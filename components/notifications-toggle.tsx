'use client';

import { useEffect, useState } from 'react';
import { disablePush, enablePush, getPushState, type PushState } from '../hooks/push-subscription';
import controls from './controls.module.css';
import styles from './notifications-toggle.module.css';

const LABELS: Record<Exclude<PushState, 'unsupported'>, string> = {
  off: 'Turn on notifications',
  on: 'Turn off notifications',
  blocked: 'Notifications blocked',
};

/** Push notifications for this browser, for messages that arrive while Parley is closed. */
export function NotificationsToggle() {
  const [state, setState] = useState<PushState>('unsupported');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    void getPushState().then(setState);
  }, []);

  if (state === 'unsupported') return null;

  async function toggle() {
    setIsBusy(true);
    setError(null);
    try {
      const result = state === 'on' ? await disablePush() : await enablePush();
      if (!result.ok) setError(result.message);
    } catch {
      setError('Notifications could not be changed. Try again.');
    } finally {
      setState(await getPushState());
      setIsBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className={controls.quietButton}
        onClick={toggle}
        disabled={isBusy || state === 'blocked'}
        aria-pressed={state === 'on'}
      >
        {LABELS[state]}
      </button>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </>
  );
}
