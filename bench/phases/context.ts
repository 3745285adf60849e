/** What every phase needs: where to put files, how big to go, and the seed. */
import fs from 'node:fs';
import path from 'node:path';
import type { Plan, RetentionLimits } from '@tooltrace/conventions';
import { openSqliteStore } from '@tooltrace/store';

export interface BenchConfig {
  seed: number;
  /** Scratch directory for the SQLite files. */
  dir: string;
  /** Spans posted to the collector (and written raw) in the ingest phase. */
  ingestSpans: number;
  spansPerRequest: number;
  clients: number;
  ingestRounds: number;
  /** Pairs of collector ingest with forwarding off and on (the forward phase). */
  forwardRounds: number;
  /** Log entries the query store is filled with (the Pro cap by default). */
  queryLogs: number;
  runs: number;
  warmup: number;
}

/** A bench at toy size in `dir`, for the phases' tests: every phase runs, on a few thousand logs. */
export function toyConfig(dir: string, overrides: Partial<BenchConfig> = {}): BenchConfig {
  return {
    seed: 7,
    dir,
    ingestSpans: 1000,
    spansPerRequest: 500,
    clients: 2,
    ingestRounds: 1,
    forwardRounds: 1,
    queryLogs: 3000,
    runs: 2,
    warmup: 0,
    ...overrides,
  };
}

export interface PreparedStore {
  file: string;
  projectId: string;
  ingestKey: string;
  readKey: string;
}

/** A fresh SQLite file with one project, closed again so a child process can own it. */
export async function freshStore(
  config: BenchConfig,
  name: string,
  plan: Plan = 'pro',
  limits?: Partial<RetentionLimits>,
): Promise<PreparedStore> {
  const file = path.join(config.dir, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  const store = openSqliteStore({ path: file, retentionSweepIntervalMs: 0 });
  try {
    const { project, ingestKey, readKey } = await store.createProject({
      name: `bench ${name}`,
      plan,
      ...(limits ? { limits } : {}),
    });
    return { file, projectId: project.projectId, ingestKey, readKey };
  } finally {
    await store.close();
  }
}

export function fileSizeMb(file: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += fs.statSync(`${file}${suffix}`).size;
    } catch {
      // no WAL file after a clean close
    }
  }
  return bytes / 1024 / 1024;
}
