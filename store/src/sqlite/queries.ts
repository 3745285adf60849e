/**
 * The read queries behind lists, facets and histograms. SQL text is built only
 * from the fixed fragments of `filters.ts`; every caller value is a bound
 * parameter.
 */
import { emptyBuckets } from '@tooltrace/conventions';
import { checkHistogram, checkLimit, FACET_LIMIT } from '../request-checks.ts';
import type { FacetValue, HistogramBucket, HistogramRequest, Page, PageRequest, TimeRange } from '../store.ts';
import { type CursorList, decodeCursor, encodeCursor, type SortKey } from './cursor.ts';
import { traceColumn, type Where } from './filters.ts';
import type { Statements } from './statements.ts';

/**
 * Keyset pagination: rows strictly below the cursor's sort key, newest first,
 * one extra row to know whether another page exists.
 */
export function listPage<R, T>(
  s: Statements,
  list: CursorList,
  w: Where,
  extraKey: string[],
  page: PageRequest,
  fromRow: (row: R) => T,
  keyOf: (row: R) => SortKey,
): Page<T> {
  const limit = checkLimit(page.limit);
  const where = [...w.where];
  const params = [...w.params];
  const key = [w.time, traceColumn(w), ...extraKey];
  if (page.cursor !== undefined) {
    const c = decodeCursor(list, page.cursor);
    where.push(`(${key.join(', ')}) < (${key.map(() => '?').join(', ')})`);
    params.push(c.time, c.traceId, ...(extraKey.length ? [c.spanId] : []));
  }
  const sql = `SELECT t.* FROM ${w.from} WHERE ${where.join(' AND ')}
    ORDER BY ${key.map((k) => `${k} DESC`).join(', ')} LIMIT ?`;
  const rows = s.all<R>(sql, ...params, limit + 1);
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return {
    items: items.map(fromRow),
    nextCursor: more && last !== undefined ? encodeCursor(list, keyOf(last)) : null,
  };
}

export function facetValues(s: Statements, w: Where, column: string): FacetValue[] {
  const sql = `SELECT ${column} AS value, COUNT(*) AS count FROM ${w.from}
    WHERE ${[...w.where, `${column} IS NOT NULL`].join(' AND ')}
    GROUP BY ${column} ORDER BY count DESC, value ASC LIMIT ${FACET_LIMIT}`;
  return s.all<FacetValue>(sql, ...w.params);
}

/**
 * Counts per bucket and status over [from, to); every bucket is present,
 * empty ones with no counts. `statuses` are the status values of the record
 * kind: counting each with a FILTER aggregate over one index range per bucket
 * avoids the temporary B-tree a GROUP BY (bucket, status) needs, about three
 * times faster at a million logs.
 */
export function histogramBuckets(
  s: Statements,
  w: Where,
  request: HistogramRequest,
  statuses: readonly string[],
  /** The filters' own time range; kept out of `w` so each query has exactly one range to seek on. */
  within: TimeRange,
): HistogramBucket[] {
  const { from, to, bucketMs } = checkHistogram(request);
  const lo = Math.max(from, within.from ?? from);
  const hi = Math.min(to, within.to ?? to);
  const buckets = emptyBuckets(from, to, bucketMs);
  const range = [...w.where, `${w.time} >= ?`, `${w.time} < ?`].join(' AND ');
  // At most MAX_HISTOGRAM_BUCKETS queries: one prepared statement, one index range each.
  const counters = statuses.map(() => 'COUNT(*) FILTER (WHERE t.status = ?)').join(', ');
  const statement = s.get(`SELECT ${counters} FROM ${w.from} WHERE ${range}`).raw();
  for (const bucket of buckets) {
    const start = Math.max(bucket.start, lo);
    const end = Math.min(bucket.start + bucketMs, hi);
    if (start >= end) continue;
    const row = statement.get(...statuses, ...w.params, start, end) as number[];
    statuses.forEach((status, i) => {
      if (row[i]) bucket.counts[status] = row[i];
    });
  }
  return buckets;
}
