/** Export of the current filter: the API streams every matching row as CSV or NDJSON. */
import { type Filters, filtersToApiParams } from './filters.ts';

export type ExportFormat = 'csv' | 'ndjson';

export function exportParams(filters: Filters, format: ExportFormat, now: number): URLSearchParams {
  const params = filtersToApiParams(filters, now);
  params.set('format', format);
  return params;
}

export function exportFileName(resource: 'tool-calls' | 'trigger-events', format: ExportFormat, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replaceAll(':', '-');
  return `tooltrace-${resource}-${stamp}.${format}`;
}
