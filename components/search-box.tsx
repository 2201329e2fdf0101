'use client';

import { useId } from 'react';
import styles from './search-box.module.css';

/** A search field with a magnifier and a button that empties it (Escape does too). */
export function SearchBox({
  value,
  onChange,
  label,
  placeholder,
  autoFocus = false,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  placeholder: string;
  autoFocus?: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className={styles.box} role="search">
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <svg className={styles.icon} aria-hidden="true" viewBox="0 0 24 24" width="18" height="18">
        <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M20 20l-4-4" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <input
        id={id}
        type="search"
        className={styles.input}
        placeholder={placeholder}
        value={value}
        // Focus on open is what a person who asked to search expects.
        autoFocus={autoFocus}
        autoComplete="off"
        spellCheck={false}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && value) {
            event.stopPropagation();
            onChange('');
          }
        }}
      />
      {value && (
        <button
          type="button"
          className={styles.clear}
          aria-label="Clear search"
          onClick={() => onChange('')}
        >
          ×
        </button>
      )}
    </div>
  );
}
