'use client';
// The operator's limits. Changes apply at once, on every node, without a restart.

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import {
  GROUP_SIZE_MAX,
  MESSAGE_MAX_CODE_POINTS,
  RATE_LIMIT_SETTINGS,
  type Settings,
} from '../protocol';
import styles from './admin-settings.module.css';
import page from './card-page.module.css';
import controls from './controls.module.css';

type Status = { kind: 'idle' } | { kind: 'saved' } | { kind: 'error'; message: string };

interface Field {
  key: keyof Settings;
  label: string;
  hint: string;
  max: number;
  min: number;
}

const FIELDS: Field[] = [
  {
    key: 'maxGroupSize',
    label: 'Maximum group size',
    hint: `Members per group, admins included: 2 to ${GROUP_SIZE_MAX.toLocaleString()}.`,
    min: 2,
    max: GROUP_SIZE_MAX,
  },
  {
    key: 'maxMessageLength',
    label: 'Maximum message length',
    hint: `Characters per message: 1 to ${MESSAGE_MAX_CODE_POINTS.toLocaleString()}.`,
    min: 1,
    max: MESSAGE_MAX_CODE_POINTS,
  },
];

/** Per person or per network address, over the window each label names. */
const RATE_LIMIT_FIELDS: Field[] = Object.entries(RATE_LIMIT_SETTINGS).map(([key, field]) => ({
  key: key as keyof Settings,
  label: field.label,
  hint: `${field.hint} ${field.min.toLocaleString()} to ${field.max.toLocaleString()}.`,
  min: field.min,
  max: field.max,
}));

export function AdminSettings() {
  const [values, setValues] = useState<Values | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    fetch('/api/admin/settings', { cache: 'no-store' })
      .then(async (response) => {
        const body = (await response.json()) as {
          ok: boolean;
          settings?: Settings;
          message?: string;
        };
        if (!body.ok || !body.settings)
          throw new Error(body.message ?? 'Could not load the settings.');
        setValues(toStrings(body.settings));
      })
      .catch((error: unknown) =>
        setStatus({
          kind: 'error',
          message: error instanceof Error ? error.message : String(error),
        }),
      );
  }, []);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!values) return;
    setIsBusy(true);
    setStatus({ kind: 'idle' });
    try {
      const response = await fetch('/api/admin/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        // Sent as typed: the server names any value that is not a whole number in range.
        body: JSON.stringify(
          Object.fromEntries(
            Object.entries(values).map(([key, value]) => [
              key,
              value.trim() === '' ? null : Number(value),
            ]),
          ),
        ),
      });
      const body = (await response.json()) as {
        ok: boolean;
        settings?: Settings;
        message?: string;
      };
      if (!body.ok || !body.settings) {
        setStatus({ kind: 'error', message: body.message ?? 'The settings were not saved.' });
        return;
      }
      setValues(toStrings(body.settings));
      setStatus({ kind: 'saved' });
    } catch {
      setStatus({ kind: 'error', message: 'Could not reach the server.' });
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <main className={page.page}>
      <form className={page.card} onSubmit={save} noValidate>
        <h1 className={page.title}>Settings</h1>
        <p className={page.subtitle}>Limits for everyone on this Parley. Changes apply at once.</p>
        {values && FIELDS.map((field) => renderField(field, values, setValues))}
        {values && (
          <>
            <h2 className={styles.heading}>Rate limits</h2>
            <p className={page.subtitle}>
              Over a limit, people are asked to wait; messages wait in their outbox and go out by
              themselves.
            </p>
            {RATE_LIMIT_FIELDS.map((field) => renderField(field, values, setValues))}
          </>
        )}
        {status.kind === 'error' && (
          <p className={controls.formError} role="alert">
            {status.message}
          </p>
        )}
        {status.kind === 'saved' && (
          <p className={controls.formSuccess} role="status">
            Saved. The new limits apply now.
          </p>
        )}
        <button className={controls.primaryButton} type="submit" disabled={isBusy || !values}>
          Save
        </button>
        <p className={page.switch}>
          <Link href="/chats">Back to chats</Link>
        </p>
      </form>
    </main>
  );
}

type Values = Record<keyof Settings, string>;

function renderField(field: Field, values: Values, setValues: (values: Values) => void) {
  return (
    <label key={field.key} className={controls.field}>
      <span className={controls.fieldLabel}>{field.label}</span>
      <input
        name={field.key}
        inputMode="numeric"
        value={values[field.key]}
        onChange={(event) => setValues({ ...values, [field.key]: event.target.value })}
      />
      <span className={controls.fieldHint}>{field.hint}</span>
    </label>
  );
}

function toStrings(settings: Settings): Values {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [key, String(value)]),
  ) as Values;
}
