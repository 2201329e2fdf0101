// The colour theme this browser shows: the system's, or light or dark whatever the system says.
// The choice is kept in localStorage (per browser, like WhatsApp Web's), and shown as
// `<html data-theme="light|dark">`, which app/tokens.css reads. `watchTheme` sets it before the
// first paint (app/layout.tsx runs it in a nonce'd script in <head>) and keeps it current.

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export const THEME_STORAGE_KEY = 'parley:theme';

/** Asked of the current tab when the choice changes; other tabs hear the storage event. */
export const THEME_CHANGE_EVENT = 'parley:theme-change';

/** The browser's bar colour (`<meta name="theme-color">`) in each theme. */
export const THEME_COLORS: Record<Theme, string> = { light: '#0b6e4f', dark: '#111b21' };

/** Anything not a known choice (nothing stored, an old or foreign value) follows the system. */
export function parseThemeChoice(value: unknown): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function resolveTheme(choice: ThemeChoice, isSystemDark: boolean): Theme {
  if (choice !== 'system') return choice;
  return isSystemDark ? 'dark' : 'light';
}

export function readThemeChoice(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return 'system'; // Storage refused (some private modes): the system's theme.
  }
}

/** Calls `listener` when the choice changes, in this tab or another. */
export function subscribeThemeChoice(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_STORAGE_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  window.addEventListener(THEME_CHANGE_EVENT, listener);
  return () => {
    window.removeEventListener('storage', onStorage);
    window.removeEventListener(THEME_CHANGE_EVENT, listener);
  };
}

/** Keeps the choice and shows it at once, in this tab and (through storage) the others. */
export function saveThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // Not kept; still shown in this tab below.
  }
  window.dispatchEvent(new CustomEvent(THEME_CHANGE_EVENT, { detail: choice }));
}

/**
 * Shows the stored theme now and whenever it or the system's changes. Runs as an inline script
 * before the page is painted (its source is put into the page as it is), so it must stay
 * self-contained: no imports, no outside names, only its arguments.
 */
export function watchTheme(storageKey: string, changeEvent: string, colors: Record<Theme, string>) {
  const root = document.documentElement;
  const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = (chosen?: unknown) => {
    let choice = chosen;
    if (choice === undefined) {
      try {
        choice = localStorage.getItem(storageKey);
      } catch {
        choice = null;
      }
    }
    const theme =
      choice === 'light' || choice === 'dark' ? choice : systemDark.matches ? 'dark' : 'light';
    root.dataset.theme = theme;
    // Both of Next's theme-color tags (one per media query) take the theme shown.
    document
      .querySelectorAll('meta[name="theme-color"]')
      .forEach((meta) => meta.setAttribute('content', colors[theme]));
  };
  apply();
  systemDark.addEventListener('change', () => apply());
  window.addEventListener('storage', (event) => {
    if (event.key === storageKey || event.key === null) apply();
  });
  window.addEventListener(changeEvent, (event) => apply((event as CustomEvent).detail));
  // The theme-color tags may come after this script in the page.
  document.addEventListener('DOMContentLoaded', () => apply());
}

/** The inline script of app/layout.tsx: watchTheme, called with this module's constants. */
export function themeScript(): string {
  const args = [THEME_STORAGE_KEY, THEME_CHANGE_EVENT, THEME_COLORS].map((value) =>
    JSON.stringify(value),
  );
  return `(${watchTheme.toString()})(${args.join(',')})`;
}
