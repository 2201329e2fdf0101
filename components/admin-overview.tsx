'use client';
// The admin console's overview: how many people, messages today, who is online, admins.

import { useEffect, useState } from 'react';
import type { AdminStats } from '../protocol';
import { callApi, type ApiResult } from '../hooks/api';
import controls from './controls.module.css';
import styles from './admin-overview.module.css';

const FIGURES: { key: keyof AdminStats; label: string; hint: string }[] = [
  { key: 'users', label: 'Users', hint: 'Accounts, disabled ones included' },
  { key: 'messagesToday', label: 'Messages today', hint: 'Since midnight UTC' },
  { key: 'onlineNow', label: 'Online now', hint: 'People connected, on every server' },
  { key: 'admins', label: 'Admins', hint: 'Including you' },
];

export function AdminOverview() {
  const [stats, setStats] = useState<AdminStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(true);

  /** Asks for the counts again (the first time: when the overview opens). */
  function load() {
    setIsBusy(true);
    void callApi('adminStats').then(show);
  }

  function show(result: ApiResult<'adminStats'>) {
    setIsBusy(false);
    if (result.ok) {
      setStats(result.stats);
      setError(null);
    } else setError(result.message);
  }

  useEffect(() => {
    void callApi('adminStats').then(show);
  }, []);

  return (
    <div className={styles.overview}>
      <dl className={styles.figures}>
        {FIGURES.map((figure) => (
          <div key={figure.key} className={styles.figure}>
            <dt className={styles.label}>{figure.label}</dt>
            <dd className={styles.value} data-testid={`stat-${figure.key}`}>
              {stats ? stats[figure.key].toLocaleString() : '–'}
            </dd>
            <dd className={styles.hint}>{figure.hint}</dd>
          </div>
        ))}
      </dl>
      {error && (
        <p className={controls.formError} role="alert">
          {error}
        </p>
      )}
      <button className={controls.quietButton} type="button" onClick={load} disabled={isBusy}>
        Refresh
      </button>
    </div>
  );
}
