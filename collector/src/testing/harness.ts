/** A real collector on an ephemeral port in front of a real SQLite store in a temporary directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore, type Store } from '@tooltrace/store';
import { type RunningCollector, type StartCollectorOptions, startCollector } from '../server/start.ts';

export interface Harness {
  store: Store;
  collector: RunningCollector;
  projectId: string;
  ingestKey: string;
  readKey: string;
  close(): Promise<void>;
}

export async function startHarness(
  options: Partial<Omit<StartCollectorOptions, 'store'>> & { wrapStore?: (store: Store) => Store } = {},
): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-collector-'));
  const store = openSqliteStore({ path: path.join(dir, 'tooltrace.db') });
  const { project, ingestKey, readKey } = await store.createProject({ name: 'collector-test', plan: 'pro' });
  const { wrapStore, ...collectorOptions } = options;
  const collector = await startCollector({
    host: '127.0.0.1',
    port: 0,
    ...collectorOptions,
    store: wrapStore ? wrapStore(store) : store,
  });
  return {
    store,
    collector,
    projectId: project.projectId,
    ingestKey,
    readKey,
    async close() {
      await collector.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
