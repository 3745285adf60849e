/**
 * Retention at the Pro cap, on the filled query store: the check every sweep
 * makes when nothing is due, a write that pushes the project over the cap
 * (its post-write check drops the oldest traces), and a timer sweep that
 * finds a day and a half of logs past the age limit.
 */
import { DAY_MS } from '@tooltrace/conventions';
import { openSqliteStore } from '@tooltrace/store';
import { encodeChunk, traffic } from '../generator.ts';
import { chunkFacts } from '../lib/collector-facts.ts';
import type { BenchConfig } from './context.ts';
import type { FillResult } from './fill.ts';

export interface RetentionResult {
  logCountBefore: number;
  /** enforceRetention when nothing is due (median of 20). */
  idleSweepMs: number;
  /** One 500-span write at the cap, including the drop it causes. */
  writeAtCapMs: number;
  writeAtCapDropped: number;
  /** A sweep two days later than the data: everything older than 30 days goes. */
  ageSweepMs: number;
  ageSweepLogsDeleted: number;
  ageSweepTracesDeleted: number;
}

export async function runRetention(config: BenchConfig, fill: FillResult, nowMs: number): Promise<RetentionResult> {
  const store = openSqliteStore({ path: fill.store.file, retentionSweepIntervalMs: 0 });
  const projectId = fill.store.projectId;
  try {
    const { logCount: logCountBefore } = await store.retentionStatus(projectId);
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await store.enforceRetention(projectId, nowMs);
      idle.push(performance.now() - started);
    }
    idle.sort((a, b) => a - b);

    const [extra] = traffic({
      seed: config.seed + 2,
      fromMs: nowMs - 30_000,
      toMs: nowMs,
      targetLogs: 1,
      spansPerChunk: config.spansPerRequest,
    });
    const batch = chunkFacts(encodeChunk(extra!), nowMs);
    let started = performance.now();
    const { logsDropped } = await store.write(projectId, batch);
    const writeAtCapMs = performance.now() - started;

    started = performance.now();
    const run = await store.enforceRetention(projectId, nowMs + 2 * DAY_MS);
    const ageSweepMs = performance.now() - started;
    return {
      logCountBefore,
      idleSweepMs: idle[Math.floor(idle.length / 2)]!,
      writeAtCapMs,
      writeAtCapDropped: logsDropped,
      ageSweepMs,
      ageSweepLogsDeleted: run.logsDeleted,
      ageSweepTracesDeleted: run.tracesDeleted,
    };
  } finally {
    await store.close();
  }
}
