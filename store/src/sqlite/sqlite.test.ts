import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { runStoreConformance } from '../conformance/index.ts';
import { openSqliteStore } from './index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-sqlite-'));
let n = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

runStoreConformance('sqlite', async ({ now }) =>
  openSqliteStore({ path: path.join(dir, `conformance-${++n}.db`), now, retentionSweepIntervalMs: 0 }),
);
