/** A real collector on an ephemeral port in front of a real SQLite file, for integration tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCollector } from '@tooltrace/collector';
import { openSqliteStore, type Store } from '@tooltrace/store';

export interface CollectorHarness {
  store: Store;
  collectorUrl: string;
  projectId: string;
  ingestKey: string;
  close(): Promise<void>;
}

export async function startCollectorHarness(): Promise<CollectorHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tooltrace-demo-'));
  const store = openSqliteStore({ path: path.join(dir, 'tooltrace.db') });
  const { project, ingestKey } = await store.createProject({ name: 'instrumentation-test', plan: 'trial' });
  const collector = await startCollector({ store, host: '127.0.0.1', port: 0 });
  return {
    store,
    collectorUrl: collector.url,
    projectId: project.projectId,
    ingestKey,
    async close() {
      await collector.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
