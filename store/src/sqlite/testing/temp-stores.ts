/**
 * Test-only: SQLite files in a temporary directory removed after the file's tests, and the stores a test
 * opened closed after each test (with real timers back), so each test file of the backend starts clean.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, vi } from 'vitest';
import type { Store } from '../../store.ts';

export function tempStores(): { newFile: () => string; track: <S extends Store>(store: S) => S } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-sqlite-'));
  let n = 0;
  const open: Store[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    newFile: () => path.join(dir, `db-${++n}.db`),
    track: (store) => {
      open.push(store);
      return store;
    },
  };
}
