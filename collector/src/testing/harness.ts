/** A real collector on an ephemeral port in front of a real SQLite store in a temporary directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore, type SqliteStoreOptions, type Store, type TraceDetail } from '@tooltrace/store';
import { type RunningCollector, type StartCollectorOptions, startCollector } from '../server/start.ts';
import { type OfficialExporters, officialExporters } from './telemetry.ts';

export interface Harness {
  store: Store;
  collector: RunningCollector;
  projectId: string;
  ingestKey: string;
  readKey: string;
  adminKey: string;
  /** The SQLite database file (its WAL is `${dbFile}-wal`). */
  dbFile: string;
  close(): Promise<void>;
}

export async function startHarness(
  options: Partial<Omit<StartCollectorOptions, 'store'>> & {
    wrapStore?: (store: Store) => Store;
    /** How the SQLite store is opened besides its file (e.g. `writer: 'worker'`). */
    sqlite?: Omit<SqliteStoreOptions, 'path'>;
  } = {},
): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-collector-'));
  const dbFile = path.join(dir, 'tooltrace.db');
  const { wrapStore, sqlite, ...collectorOptions } = options;
  const store = openSqliteStore({ ...sqlite, path: dbFile });
  const { project, ingestKey, readKey, adminKey } = await store.createProject({ name: 'collector-test', plan: 'pro' });
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
    adminKey,
    dbFile,
    async close() {
      await collector.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ExporterHarness extends Harness {
  /** The official exporters, sending with the ingest key. */
  exporters: OfficialExporters;
  /** What the store holds for a trace; throws when it holds nothing. */
  trace(traceId: string): Promise<TraceDetail>;
}

/** A harness with the official exporters pointed at its collector. */
export async function startExporterHarness(): Promise<ExporterHarness> {
  const h = await startHarness();
  const exporters = officialExporters(h.collector.url, h.ingestKey);
  return {
    ...h,
    exporters,
    async trace(traceId) {
      const detail = await h.store.getTrace(h.projectId, traceId);
      if (!detail) throw new Error(`trace ${traceId} not stored`);
      return detail;
    },
    async close() {
      await exporters.shutdown();
      await h.close();
    },
  };
}
