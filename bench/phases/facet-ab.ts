/**
 * Facets over the last 30 days (what the UI always asks), A/B on the filled
 * store in the same run, both in-process on one read connection each:
 *  - before: the five `GROUP BY` scans over the range that the SQLite store ran
 *    for any filtered facet until day counts existed (the SQL of its
 *    `facetValues` with a `from`/`to` filter, restated here because the store
 *    no longer runs it for a range);
 *  - after: `store.toolCallFacets` / `triggerEventFacets` (kept counts per UTC
 *    day for the whole days, an exact scan of the two partial edge days).
 * Alternated run by run; each "after" answer must equal the "before" one, which
 * checks exactness at full size as well.
 */
import { DAY_MS } from '@tooltrace/conventions';
import { openSqliteStore } from '@tooltrace/store';
import Database from 'better-sqlite3';
import { Progress } from '../lib/progress.ts';
import { fmt, table } from '../lib/report.ts';
import { type LatencySummary, summarize } from '../lib/stats.ts';
import type { BenchConfig } from './context.ts';
import type { FillResult } from './fill.ts';

export interface FacetAbResult {
  kind: 'tool calls' | 'trigger events';
  before: LatencySummary;
  after: LatencySummary;
  /** before p50 / after p50. */
  speedup: number;
}

const FACET_LIMIT = 100;

/** `facets.ts`' scan: one GROUP BY per facet over the records in the range. */
function scanSql(from: string, time: string, column: string): string {
  return `SELECT ${column} AS value, COUNT(*) AS count FROM ${from}
    WHERE t.project_id = ? AND ${time} >= ? AND ${time} < ? AND ${column} IS NOT NULL
    GROUP BY ${column} ORDER BY count DESC, value ASC LIMIT ${FACET_LIMIT}`;
}

const TOOL_CALLS = {
  integrations: 't.integration',
  toolNames: 't.tool_name',
  userIds: 't.user_id',
  statuses: 't.status',
  types: 't.type',
};
const TRIGGER_EVENTS = {
  integrations: 't.integration',
  triggerNames: 't.trigger_name',
  userIds: 'fu.user_id',
  statuses: 't.status',
  types: 't.type',
};
const USERS_JOIN =
  'trigger_events t JOIN trigger_event_users fu ON fu.project_id = t.project_id AND fu.trace_id = t.trace_id';

export async function runFacetAb(config: BenchConfig, fill: FillResult, nowMs: number): Promise<FacetAbResult[]> {
  const range = { from: nowMs - 30 * DAY_MS, to: nowMs };
  const db = new Database(fill.store.file, { readonly: true });
  const store = openSqliteStore({ path: fill.store.file, retentionSweepIntervalMs: 0 });
  const pid = fill.store.projectId;
  const before = (kind: FacetAbResult['kind']) => {
    const columns = kind === 'tool calls' ? TOOL_CALLS : TRIGGER_EVENTS;
    const time = kind === 'tool calls' ? 't.started_at' : 't.received_at';
    return Object.fromEntries(
      Object.entries(columns).map(([name, column]) => {
        const from = column.startsWith('fu.')
          ? USERS_JOIN
          : kind === 'tool calls'
            ? 'tool_calls t'
            : 'trigger_events t';
        return [name, db.prepare(scanSql(from, time, column)).all(pid, range.from, range.to)];
      }),
    );
  };
  const after = (kind: FacetAbResult['kind']) =>
    kind === 'tool calls' ? store.toolCallFacets(pid, range) : store.triggerEventFacets(pid, range);
  // The scans take hundreds of ms at full size: fewer runs than the HTTP query set.
  const runs = Math.max(1, Math.min(config.runs, 30));
  const warmup = Math.min(config.warmup, 3);
  const kinds: FacetAbResult['kind'][] = ['tool calls', 'trigger events'];
  const progress = new Progress('facets 30 d A/B', (runs + warmup) * kinds.length * 2, ' q');
  try {
    const results: FacetAbResult[] = [];
    for (const kind of kinds) {
      const times = { before: [] as number[], after: [] as number[] };
      for (let run = 0; run < warmup + runs; run++) {
        let started = performance.now();
        const old = before(kind);
        const beforeMs = performance.now() - started;
        started = performance.now();
        const now = await after(kind);
        const afterMs = performance.now() - started;
        progress.tick(2);
        if (JSON.stringify(now) !== JSON.stringify(old)) {
          throw new Error(`${kind} facets over 30 days differ between the scan and the kept counts`);
        }
        if (run >= warmup) {
          times.before.push(beforeMs);
          times.after.push(afterMs);
        }
      }
      const b = summarize(times.before);
      const a = summarize(times.after);
      results.push({ kind, before: b, after: a, speedup: b.p50 / a.p50 });
    }
    return results;
  } finally {
    progress.finish();
    db.close();
    await store.close();
  }
}

export function facetAbTable(results: readonly FacetAbResult[]): string {
  return table(
    ['facets 30 d', 'runs', 'before p50 ms', 'before p99 ms', 'after p50 ms', 'after p99 ms', 'before / after (p50)'],
    results.map((r) => [
      r.kind,
      r.after.runs,
      fmt.ms(r.before.p50),
      fmt.ms(r.before.p99),
      fmt.ms(r.after.p50),
      fmt.ms(r.after.p99),
      `${r.speedup.toFixed(1)}×`,
    ]),
  );
}
