'use client';
// Settings' theme: the system's, light or dark, for this browser. Applied at once (hooks/theme.ts).

import { useSyncExternalStore } from 'react';
import {
  readThemeChoice,
  saveThemeChoice,
  subscribeThemeChoice,
  THEME_CHOICES,
  type ThemeChoice,
} from '../hooks/theme';
import styles from './theme-setting.module.css';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function ThemeSetting() {
  // null on the server, which cannot know this browser's choice.
  const choice = useSyncExternalStore(subscribeThemeChoice, readThemeChoice, () => null);

  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>Theme</legend>
      <div className={styles.choices}>
        {THEME_CHOICES.map((value) => (
          <label key={value} className={styles.choice}>
            <input
              type="radio"
              name="theme"
              value={value}
              checked={choice === value}
              onChange={() => saveThemeChoice(value)}
            />
            {LABELS[value]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
