/** The read key lives in sessionStorage: it survives reloads of the tab, not the browser session. */
import { takeReadKeyFromHash } from '../model/auth.ts';

const STORAGE_KEY = 'tooltrace.readKey';

export function loadReadKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function saveReadKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key.trim());
}

export function clearReadKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Signs in from a `#readKey=` link and strips the key from the address bar and history. */
export function adoptReadKeyFromLocation(): void {
  const { readKey, remainingHash } = takeReadKeyFromHash(window.location.hash);
  if (!readKey) return;
  saveReadKey(readKey);
  const url = `${window.location.pathname}${window.location.search}${remainingHash}`;
  window.history.replaceState(window.history.state, '', url);
}
