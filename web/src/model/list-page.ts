/**
 * The words and URL state a list tab (Tools, Triggers) derives from its filters: what the empty
 * table says, the footer count, and the query string that carries filters plus live mode.
 */
import { type DateRange, PRESET_LABELS } from './date-range.ts';
import { activeFilterCount, type Filters, filtersToParams } from './filters.ts';

/** How a tab names its rows: `plural` in sentences ("tool calls"), `one`/`many` in counts ("1 call"). */
export interface RowNouns {
  plural: string;
  one: string;
  many: string;
}

/** How long a row that arrived over the live stream keeps its highlight. */
export const NEW_ROW_MS = 8000;

export const LIVE_NEEDS_PRESET = 'Live mode follows a relative range; pick a preset first';

/** Live mode follows "the last N minutes"; a fixed custom range has nothing new to follow. */
export function liveDisabledReason(range: DateRange): string | null {
  return range.preset === 'custom' ? LIVE_NEEDS_PRESET : null;
}

/** The URL query of a list tab: its filters, plus `live=1` while live mode is on. */
export function listQuery(filters: Filters, live: boolean): URLSearchParams {
  const query = filtersToParams(filters);
  if (live) query.set('live', '1');
  return query;
}

export function emptyListTitle(nouns: RowNouns, filters: Filters): string {
  if (activeFilterCount(filters) > 0) return `No ${nouns.plural} match these filters`;
  if (filters.range.preset === 'custom') return `No ${nouns.plural} in this range`;
  return `No ${nouns.plural} in the ${PRESET_LABELS[filters.range.preset].toLowerCase()}`;
}

export function clearFiltersLabel(activeCount: number): string {
  return `Clear ${activeCount} ${activeCount === 1 ? 'filter' : 'filters'}`;
}

export function endOfResultsLabel(count: number, nouns: RowNouns): string {
  return `${count} ${count === 1 ? nouns.one : nouns.many} · end of results`;
}

/** Whether a row that arrived at `arrivedAt` (undefined: fetched, not streamed) still counts as new. */
export function isNewRow(arrivedAt: number | undefined, renderedAt: number): boolean {
  return renderedAt - (arrivedAt ?? 0) < NEW_ROW_MS;
}
