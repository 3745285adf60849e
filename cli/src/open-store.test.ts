import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { openStore, SQLITE_FILE_NAME } from './open-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('opens SQLite at <dataDir>/tooltrace.db, creating the directory', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-open-'));
    dirs.push(root);
    const dataDir = path.join(root, 'nested', 'data');
    const store = await openStore(loadConfig({ TOOLTRACE_DATA_DIR: dataDir }));
    try {
      const { project, ingestKey } = await store.createProject({ name: 'x', plan: 'trial' });
      expect((await store.authenticate(ingestKey))?.project.projectId).toBe(project.projectId);
    } finally {
      await store.close();
    }
    expect(fs.existsSync(path.join(dataDir, SQLITE_FILE_NAME))).toBe(true);
    // A second open of the same dir sees the same data.
    const again = await openStore(loadConfig({ TOOLTRACE_DATA_DIR: dataDir }));
    try {
      expect(await again.listProjects()).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});
