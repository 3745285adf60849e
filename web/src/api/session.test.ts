// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { adoptReadKeyFromLocation, clearReadKey, loadReadKey } from './session.ts';

afterEach(() => {
  clearReadKey();
  window.history.replaceState(null, '', '/');
});

describe('signing in from the printed link', () => {
  it('when the URL has #readKey=, then the key goes to session storage and leaves the address bar', () => {
    window.history.replaceState(null, '', '/tools?status=error#readKey=tt_read_abc123');
    adoptReadKeyFromLocation();
    expect(loadReadKey()).toBe('tt_read_abc123');
    expect(window.location.href).toBe('http://localhost:3000/tools?status=error');
  });

  it('when the URL has no key, then nothing changes', () => {
    window.history.replaceState(null, '', '/triggers#section');
    adoptReadKeyFromLocation();
    expect(loadReadKey()).toBeNull();
    expect(window.location.hash).toBe('#section');
  });
});
