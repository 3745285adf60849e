/**
 * Live mode: rows that arrive over SSE go on top of the fetched pages. A row that arrives again
 * (a trigger event whose status moved on) replaces its earlier version instead of duplicating.
 */

/** Applies incoming rows (in arrival order) to the live list, newest on top, keeping at most `max`. */
export function upsertLive<T>(live: readonly T[], incoming: readonly T[], keyOf: (row: T) => string, max = 500): T[] {
  let rows = [...live];
  for (const row of incoming) {
    const key = keyOf(row);
    const index = rows.findIndex((r) => keyOf(r) === key);
    if (index === -1) rows = [row, ...rows];
    else rows[index] = row;
  }
  return rows.slice(0, max);
}

/** The live rows on top of the fetched rows, dropping fetched rows a live row supersedes. */
export function mergeRows<T>(live: readonly T[], fetched: readonly T[], keyOf: (row: T) => string): T[] {
  const liveKeys = new Set(live.map(keyOf));
  return [...live, ...fetched.filter((row) => !liveKeys.has(keyOf(row)))];
}

export const toolCallKey = (row: { traceId: string; spanId: string }) => `${row.traceId}:${row.spanId}`;
export const triggerEventKey = (row: { traceId: string }) => row.traceId;
