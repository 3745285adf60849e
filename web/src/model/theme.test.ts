// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { applyTheme, nextTheme, saveTheme, storedTheme, THEME_STORAGE_KEY } from './theme.ts';

afterEach(() => {
  localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});

describe('theme choice', () => {
  it('when nothing is stored, then the system decides', () => {
    expect(storedTheme()).toBe('system');
    localStorage.setItem(THEME_STORAGE_KEY, 'purple');
    expect(storedTheme()).toBe('system');
  });

  it('when dark is chosen, then it is remembered and put on <html>; system forgets it and removes the attribute', () => {
    saveTheme('dark');
    applyTheme(storedTheme());
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    saveTheme('system');
    applyTheme(storedTheme());
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
  });

  it('when the switch is pressed, then it cycles system → light → dark → system', () => {
    expect([nextTheme('system'), nextTheme('light'), nextTheme('dark')]).toEqual(['light', 'dark', 'system']);
  });

  it('when storage is blocked, then the choice falls back to system without throwing', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(storedTheme(blocked)).toBe('system');
    expect(() => saveTheme('dark', blocked)).not.toThrow();
  });
});
