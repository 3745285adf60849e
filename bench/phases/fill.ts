/**
 * Fills a SQLite store through the store's own batch API (`write`), the fast
 * path for when only queries are measured: the rows are the collector's own
 * decode + map of the generated bodies, without HTTP. Remembers real IDs and
 * filter values to query for.
 */
import { DAY_MS, PLAN_LIMITS, toRequestId } from '@tooltrace/conventions';
import { openSqliteStore } from '@tooltrace/store';
import { encodeChunk, traffic } from '../generator.ts';
import { chunkFacts } from '../lib/collector-facts.ts';
import { Progress } from '../lib/progress.ts';
import { type BenchConfig, fileSizeMb, freshStore, type PreparedStore } from './context.ts';

export interface Samples {
  requestIds: string[];
  eventIds: string[];
  userIds: string[];
  integrations: string[];
  toolNames: string[];
  triggerNames: string[];
}

export interface FillResult {
  store: PreparedStore;
  logs: number;
  logsStored: number;
  seconds: number;
  logsPerSec: number;
  dbMb: number;
  samples: Samples;
}

const MAX_SAMPLES = 2000;

export async function fillQueryStore(config: BenchConfig, nowMs: number): Promise<FillResult> {
  // At full size this is the Pro plan (1 000 000 logs); a scaled-down run gets an enterprise cap of its own
  // size, so "at the cap" stays true for the retention figures.
  const prepared =
    config.queryLogs === PLAN_LIMITS.pro.maxLogs
      ? await freshStore(config, 'query', 'pro')
      : await freshStore(config, 'query', 'enterprise', { maxAgeDays: 30, maxLogs: config.queryLogs });
  const store = openSqliteStore({ path: prepared.file, retentionSweepIntervalMs: 0 });
  const sets = {
    requestIds: new Set<string>(),
    eventIds: new Set<string>(),
    userIds: new Set<string>(),
    integrations: new Set<string>(),
    toolNames: new Set<string>(),
    triggerNames: new Set<string>(),
  };
  const add = (set: Set<string>, value: string | null | undefined) => {
    if (value && set.size < MAX_SAMPLES) set.add(value);
  };
  const progress = new Progress('fill (store.write)', config.queryLogs, ' logs');
  let logs = 0;
  const started = performance.now();
  try {
    // 29.5 days back: inside the Pro age limit, so only the count cap can drop data.
    for (const chunk of traffic({
      seed: config.seed + 1,
      fromMs: nowMs - 29.5 * DAY_MS,
      toMs: nowMs - 60_000,
      targetLogs: config.queryLogs,
      spansPerChunk: config.spansPerRequest,
    })) {
      const batch = chunkFacts(encodeChunk(chunk), nowMs);
      await store.write(prepared.projectId, batch);
      logs += batch.logs.length;
      progress.tick(batch.logs.length);
      // Sample from the newer half, which the count cap will not have dropped.
      if (logs < config.queryLogs / 2) continue;
      for (const call of batch.toolCalls) {
        add(sets.requestIds, toRequestId(call.traceId));
        add(sets.userIds, call.userId);
        add(sets.integrations, call.integration);
        add(sets.toolNames, call.toolName);
      }
      for (const trigger of batch.triggers) {
        add(sets.eventIds, trigger.root?.eventId);
        add(sets.triggerNames, trigger.root?.triggerName);
      }
    }
    progress.finish();
    const seconds = (performance.now() - started) / 1000;
    const { logCount } = await store.retentionStatus(prepared.projectId);
    return {
      store: prepared,
      logs,
      logsStored: logCount,
      seconds,
      logsPerSec: logs / seconds,
      dbMb: fileSizeMb(prepared.file),
      samples: {
        requestIds: shuffle([...sets.requestIds], config.seed),
        eventIds: shuffle([...sets.eventIds], config.seed),
        userIds: shuffle([...sets.userIds], config.seed),
        integrations: [...sets.integrations],
        toolNames: [...sets.toolNames],
        triggerNames: [...sets.triggerNames],
      },
    };
  } finally {
    await store.close();
  }
}

/** Deterministic shuffle, so runs hit IDs spread over the whole stored range rather than in insert order. */
function shuffle<T>(list: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = list.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}
