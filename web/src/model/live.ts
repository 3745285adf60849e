/**
 * Live mode: rows that arrive over SSE. A new row at or after the newest row shown goes on top, so
 * the list stays in time order; an older one (a late arrival) is left out, and the page announces
 * how many arrived late (from the histogram's growth) with a refresh. A row that arrives again (a
 * trigger event whose status moved on) replaces its earlier version where it is.
 */

export interface LiveView<T> {
  /** Rows put on top, newest first: the "N new". */
  top: T[];
  /** Newer versions of rows already listed, by key, shown in their place. */
  updates: ReadonlyMap<string, T>;
}

export const emptyLiveView = <T>(): LiveView<T> => ({ top: [], updates: new Map() });

/** What the list shows besides the live rows: whether it holds a key, and its newest row's time. */
export interface ShownRows {
  has: (key: string) => boolean;
  newest: number | null;
}

/** Applies one incoming row to the live view (see the module comment); `max` bounds the rows on top. */
export function applyLive<T>(
  view: LiveView<T>,
  row: T,
  keyOf: (row: T) => string,
  timeOf: (row: T) => number,
  shown: ShownRows,
  max = 500,
): LiveView<T> {
  const key = keyOf(row);
  const index = view.top.findIndex((r) => keyOf(r) === key);
  if (index !== -1) return { ...view, top: view.top.map((r, i) => (i === index ? row : r)) };
  if (shown.has(key)) return { ...view, updates: new Map(view.updates).set(key, row) };
  const first = view.top[0];
  const newest = Math.max(first ? timeOf(first) : Number.NEGATIVE_INFINITY, shown.newest ?? Number.NEGATIVE_INFINITY);
  if (timeOf(row) < newest) return view; // late: counted from the histogram, listed after a refresh
  return { ...view, top: [row, ...view.top].slice(0, max) };
}

/** The live rows on top of the fetched rows, fetched rows in their newest version. */
export function mergeRows<T>(live: LiveView<T>, fetched: readonly T[], keyOf: (row: T) => string): T[] {
  const liveKeys = new Set(live.top.map(keyOf));
  const rest = fetched.filter((row) => !liveKeys.has(keyOf(row))).map((row) => live.updates.get(keyOf(row)) ?? row);
  return [...live.top, ...rest];
}

/**
 * Rows that arrived since live mode started but were not put on top: the histogram's growth over
 * a range whose start stays pinned, less the rows shown as new. So the "N new" and the late count
 * add up to what the histogram gained, and nothing is counted twice.
 */
export function lateArrivals(baselineTotal: number | null, currentTotal: number | null, shownNew: number): number {
  if (baselineTotal === null || currentTotal === null) return 0;
  return Math.max(0, currentTotal - baselineTotal - shownNew);
}

export function lateArrivalsLabel(count: number): string {
  return `${count} late ${count === 1 ? 'arrival' : 'arrivals'} — refresh`;
}

export const toolCallKey = (row: { traceId: string; spanId: string }) => `${row.traceId}:${row.spanId}`;
export const triggerEventKey = (row: { traceId: string }) => row.traceId;
export const toolCallTime = (row: { startedAt: string }) => Date.parse(row.startedAt);
export const triggerEventTime = (row: { receivedAt: string }) => Date.parse(row.receivedAt);
