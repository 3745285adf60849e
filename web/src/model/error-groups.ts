/**
 * The Errors view's model: category tones, the sparkline of a group's trend, and the link from a
 * group to the calls it stands for (the Tools list filtered by the group, over the same range).
 */
import { ERROR_CATEGORY_LABELS, type ErrorCategory } from '@tooltrace/conventions';
import { type Filters, filtersToParams, type ToolFilterKey } from './filters.ts';
import type { StatusView, Tone } from './status.ts';

const CATEGORY_TONES: Record<ErrorCategory, Tone> = {
  auth_revoked: 'danger',
  auth_expired: 'warning',
  permission_denied: 'danger',
  rate_limited: 'warning',
  not_found: 'neutral',
  invalid_request: 'neutral',
  provider_unavailable: 'warning',
  timeout: 'warning',
  internal: 'danger',
  other: 'neutral',
};

export function errorCategoryView(category: ErrorCategory | null): StatusView {
  if (category === null) return { label: 'Uncategorised', tone: 'neutral' };
  return { label: ERROR_CATEGORY_LABELS[category], tone: CATEGORY_TONES[category] };
}

/** SVG polyline points for a trend in a `width`×`height` box (the highest point touches the top). */
export function sparklinePoints(trend: readonly number[], width: number, height: number): string {
  if (trend.length === 0) return '';
  const max = Math.max(1, ...trend);
  const step = trend.length > 1 ? width / (trend.length - 1) : 0;
  return trend
    .map((count, i) => {
      const x = trend.length > 1 ? i * step : width / 2;
      const y = height - (count / max) * (height - 1) - 0.5;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The Tools list of a group's calls: the group and the range of the Errors view, no other filter. */
export function groupCallsPath(errorGroup: string, filters: Filters<ToolFilterKey>): string {
  const params = filtersToParams({ ...filters, values: { ...filters.values, errorGroup } });
  return `/tools?${params}`;
}
