'use client';
// The operator's limits (a section of the admin console). Changes apply at once, on every
// node, without a restart.

import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { LIMIT_SETTINGS, RATE_LIMIT_SETTINGS, type Settings } from '../protocol';
import { callApi } from '../hooks/api';
import styles from './admin-settings.module.css';
import page from './card-page.module.css';
import controls from './controls.module.css';

type Status = { kind: 'idle' } | { kind: 'saved' } | { kind: 'error'; message: string };

interface Field {
  key: keyof Settings;
  label: string;
  hint: string;
}

/** The general limits, their bounds in the hint. */
const FIELDS: Field[] = Object.entries(LIMIT_SETTINGS).map(([key, field]) => ({
  key: key as keyof Settings,
  label: field.label,
  hint: `${field.hint}: ${field.min.toLocaleString()} to ${field.max.toLocaleString()}.`,
}));

/** Per person or per network address, over the window each label names. */
const RATE_LIMIT_FIELDS: Field[] = Object.entries(RATE_LIMIT_SETTINGS).map(([key, field]) => ({
  key: key as keyof Settings,
  label: field.label,
  hint: `${field.hint} ${field.min.toLocaleString()} to ${field.max.toLocaleString()}.`,
}));

/** Groups above the saved maximum size, as the server counted them. */
interface Oversized {
  count: number;
  maxGroupSize: number;
}

export function AdminSettings() {
  const [values, setValues] = useState<Values | null>(null);
  const [oversized, setOversized] = useState<Oversized | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    void callApi('getSettings').then((result) => {
      if (result.ok) {
        setValues(toStrings(result.settings));
        setOversized(toOversized(result));
      } else setStatus({ kind: 'error', message: result.message });
    });
  }, []);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!values) return;
    setIsBusy(true);
    setStatus({ kind: 'idle' });
    // Sent as typed: the server names any value that is not a whole number in range. An empty
    // field is NaN, which goes out as null, and is named like any other.
    const changes = Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        value.trim() === '' ? Number.NaN : Number(value),
      ]),
    );
    const result = await callApi('updateSettings', changes);
    setIsBusy(false);
    if (!result.ok) {
      setStatus({
        kind: 'error',
        message: result.code === 'NETWORK' ? 'Could not reach the server.' : result.message,
      });
      return;
    }
    setValues(toStrings(result.settings));
    setOversized(toOversized(result));
    setStatus({ kind: 'saved' });
  }

  return (
    <form className={page.card} onSubmit={save} noValidate aria-labelledby="settings-title">
      <h2 id="settings-title" className={page.title}>
        Settings
      </h2>
      <p className={page.subtitle}>Limits for everyone on this Parley. Changes apply at once.</p>
      {values &&
        FIELDS.map((field) =>
          renderField(
            field,
            values,
            setValues,
            field.key === 'maxGroupSize' && <GroupSizeNote oversized={oversized} />,
          ),
        )}
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
    </form>
  );
}

type Values = Record<keyof Settings, string>;

/** What a lower maximum does to bigger groups, and how many there are now. */
function GroupSizeNote({ oversized }: { oversized: Oversized | null }) {
  return (
    <>
      <span className={controls.fieldHint}>
        Lowering it removes no one: bigger groups keep their members, but no one can be added to
        them until they are below it.
      </span>
      {oversized && oversized.count > 0 && (
        <span className={styles.warning} data-testid="oversized-groups">
          {oversized.count === 1
            ? '1 group has'
            : `${oversized.count.toLocaleString()} groups have`}{' '}
          more than {oversized.maxGroupSize.toLocaleString()} members;{' '}
          {oversized.count === 1 ? 'it keeps them' : 'they keep them'}, but no one can be added.
        </span>
      )}
    </>
  );
}

function toOversized(result: { settings: Settings; groupsOverMaxSize: number }): Oversized {
  return { count: result.groupsOverMaxSize, maxGroupSize: result.settings.maxGroupSize };
}

function renderField(
  field: Field,
  values: Values,
  setValues: (values: Values) => void,
  note?: ReactNode,
) {
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
      {note}
    </label>
  );
}

function toStrings(settings: Settings): Values {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [key, String(value)]),
  ) as Values;
}
