// The theme choice (hooks/theme.ts): what a stored value means, and the script that shows it
// before the first paint.

import { describe, expect, it } from 'vitest';
import { parseThemeChoice, resolveTheme, themeScript, THEME_STORAGE_KEY } from '../../hooks/theme';

describe('the theme choice', () => {
  it('follows the system unless light or dark was chosen', () => {
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('light')).toBe('light');
    for (const stored of [null, '', 'system', 'blue', 42]) {
      expect(parseThemeChoice(stored)).toBe('system');
    }
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('has a boot script that is one self-contained call', () => {
    const script = themeScript();
    expect(script).toContain(JSON.stringify(THEME_STORAGE_KEY));
    expect(script).not.toContain('</');
    // It parses as a program: a function expression called with its arguments.
    expect(() => new Function(script)).not.toThrow();
  });
});
