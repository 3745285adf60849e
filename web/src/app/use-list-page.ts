/**
 * The state behind a list tab (Tools, Triggers): filters read from the URL, the pinned time the
 * queries resolve against, the infinite list with live rows on top, the histogram, the row
 * selection and the keyboard shortcuts. A tab describes its resource once (`ListSource`) and
 * renders what this returns with `ListPage`.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { FilterKey, Filters } from '../model/filters.ts';
import { activeFilterCount, withFilterValue } from '../model/filters.ts';
import { histogramTotal } from '../model/histogram.ts';
import { moveSelection } from '../model/keyboard.ts';
import { listQuery } from '../model/list-page.ts';
import { lateArrivals, mergeRows, type ShownRows } from '../model/live.ts';
import {
  type FetchRowPage,
  type Resource,
  useApiParams,
  useHistogram,
  useHistogramBaseline,
  usePinnedNow,
  useRowPages,
} from './queries.ts';
import { useRouter, withQuery } from './router.tsx';
import { useShortcuts } from './shortcuts.tsx';
import { useLive } from './use-live.ts';

/** What a list tab lists: its API resource, its URL, and how to read its rows. */
export interface ListSource<T, K extends FilterKey> {
  resource: Resource;
  /** The tab's path; filters and live mode go in its query string. */
  path: string;
  parseFilters: (params: URLSearchParams) => Filters<K>;
  fetchPage: FetchRowPage<T>;
  /** The SSE event name the live stream sends rows under. */
  liveEvent: string;
  schema: z.ZodType<T>;
  keyOf: (row: T) => string;
  /** The row's time (epoch ms), which orders the list. */
  timeOf: (row: T) => number;
}

/** While live, the histogram catches up this often so new bars (and late arrivals) appear too. */
const HISTOGRAM_LIVE_REFRESH_MS = 10_000;
/** After live rows arrive, the histogram catches up this soon, so it and the "N new" agree. */
const HISTOGRAM_AFTER_ROWS_MS = 1_500;

export function useListPage<T, K extends FilterKey>(source: ListSource<T, K>, options: { onOpen: (row: T) => void }) {
  const { params, navigate } = useRouter();
  const { parseFilters, path, keyOf, timeOf } = source;
  const filters = useMemo(() => parseFilters(params), [parseFilters, params]);
  const live = params.get('live') === '1';
  const [refresh, setRefresh] = useState(0);
  // Live mode re-pins only the histogram's range; the table keeps its pages and gets rows from the stream.
  const [histogramTick, setHistogramTick] = useState(0);
  const now = usePinnedNow(filters, refresh);
  const histogramNow = usePinnedNow(filters, refresh * 1_000_000 + histogramTick);
  const apiParams = useApiParams(filters, now);
  // While live, the histogram's start stays where the list's is, so rows only join it: its growth is what arrived.
  const histogramParams = useMemo(
    () => (live ? withEnd(apiParams, Math.max(now, histogramNow)) : apiParams),
    [live, apiParams, now, histogramNow],
  );
  const list = useRowPages(source.resource, apiParams, source.fetchPage);
  const histogram = useHistogram(source.resource, histogramParams);
  const baseline = useHistogramBaseline(source.resource, apiParams, live);
  // The selection survives opening a row and coming back (Esc, Back): kept per list URL for this tab's session.
  const selectionKey = `tooltrace.selection:${path}?${listQuery(filters, live)}`;
  const [selected, setSelected] = useState<number | null>(() => readSelection(selectionKey));

  const go = useCallback(
    (next: Filters<K>, nextLive = live) => navigate(withQuery(path, listQuery(next, nextLive))),
    [live, navigate, path],
  );
  const setFilter = (key: K) => (value: string | null) => go(withFilterValue(filters, key, value));

  const fetched = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const shown = useRef<ShownRows>({ has: () => false, newest: null });
  shown.current = useMemo(() => {
    const keys = new Set(fetched.map(keyOf));
    return { has: (key: string) => keys.has(key), newest: fetched[0] ? timeOf(fetched[0]) : null };
  }, [fetched, keyOf, timeOf]);
  const catchUp = useRef<ReturnType<typeof setTimeout> | null>(null);
  const liveRows = useLive({
    resource: source.resource,
    eventName: source.liveEvent,
    schema: source.schema,
    params: apiParams,
    enabled: live && filters.range.preset !== 'custom',
    keyOf,
    timeOf,
    shown: () => shown.current,
    onRows: () => {
      catchUp.current ??= setTimeout(() => {
        catchUp.current = null;
        setHistogramTick((t) => t + 1);
      }, HISTOGRAM_AFTER_ROWS_MS);
    },
  });
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setHistogramTick((t) => t + 1), HISTOGRAM_LIVE_REFRESH_MS);
    return () => {
      clearInterval(timer);
      if (catchUp.current) clearTimeout(catchUp.current);
      catchUp.current = null;
    };
  }, [live]);

  const rows = useMemo(() => mergeRows(liveRows.view, fetched, keyOf), [liveRows.view, fetched, keyOf]);
  const newCount = liveRows.view.top.length;
  const late = lateArrivals(
    live && baseline.data ? histogramTotal(baseline.data) : null,
    live && histogram.data && !histogram.isPlaceholderData ? histogramTotal(histogram.data) : null,
    newCount,
  );
  // A new filter starts a new selection; the first params are the ones a restored selection belongs to.
  const shownParams = useRef(apiParams);
  useEffect(() => {
    if (shownParams.current === apiParams) return;
    shownParams.current = apiParams;
    setSelected(null);
  }, [apiParams]);

  const onOpen = (row: T) => {
    const index = rows.indexOf(row);
    if (index >= 0) writeSelection(selectionKey, index);
    options.onOpen(row);
  };
  useShortcuts({
    // The first field of the filter bar is the tab's search.
    'focus-search': () => document.querySelector<HTMLInputElement>('main [role="search"] input')?.focus(),
    next: () => setSelected((s) => moveSelection(s, 1, rows.length)),
    previous: () => setSelected((s) => moveSelection(s, -1, rows.length)),
    open: () => {
      const row = selected !== null ? rows[selected] : undefined;
      if (row) onOpen(row);
    },
  });

  return {
    resource: source.resource,
    keyOf,
    filters,
    activeCount: activeFilterCount(filters),
    now,
    live,
    go,
    setFilter,
    refresh: () => {
      liveRows.clear();
      setRefresh((r) => r + 1);
    },
    list,
    histogram,
    liveRows,
    newCount,
    late,
    rows,
    selected,
    setSelected,
    onOpen,
  };
}

export type ListPageState<T, K extends FilterKey> = ReturnType<typeof useListPage<T, K>>;

/** The params with `to` moved to `end` (epoch ms). */
function withEnd(params: URLSearchParams, end: number): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set('to', new Date(end).toISOString());
  return next;
}

function readSelection(key: string): number | null {
  try {
    const value = Number(sessionStorage.getItem(key));
    return sessionStorage.getItem(key) !== null && Number.isInteger(value) && value >= 0 ? value : null;
  } catch {
    return null; // storage blocked: start without a selection
  }
}

function writeSelection(key: string, index: number): void {
  try {
    sessionStorage.setItem(key, String(index));
  } catch {
    // storage blocked or full: the selection is a convenience
  }
}
