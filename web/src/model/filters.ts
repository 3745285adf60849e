/**
 * Filters ⇄ URL search params ⇄ API query params. Every filter lives in the URL so a link or
 * a reload reproduces the view; values the API would reject are dropped here instead of
 * turning the page into an error.
 */
import {
  ERROR_CATEGORIES,
  isTraceIdLike,
  TOOL_CALL_STATUSES,
  TOOL_CALL_TYPES,
  TRIGGER_EVENT_STATUSES,
  TRIGGER_EVENT_TYPES,
  toTraceId,
} from '@tooltrace/conventions';
import {
  customRange,
  type DateRange,
  DEFAULT_RANGE,
  isDatePreset,
  parseInstant,
  type ResolvedRange,
  resolveRange,
} from './date-range.ts';

export const TOOL_FILTER_KEYS = [
  'userId',
  'integration',
  'status',
  'toolName',
  'type',
  'traceId',
  'errorCategory',
  'errorGroup',
  'errorCode',
  'httpStatus',
  'toolCallId',
] as const;
/** Tool filters set by drilling down (Errors view, error column, a call's ID), shown as removable chips rather than pickers. */
export const TOOL_CHIP_FILTER_KEYS = ['errorCategory', 'errorGroup', 'errorCode', 'httpStatus', 'toolCallId'] as const;
export const TRIGGER_FILTER_KEYS = ['userId', 'integration', 'status', 'type', 'triggerName'] as const;
export type ToolFilterKey = (typeof TOOL_FILTER_KEYS)[number];
export type TriggerFilterKey = (typeof TRIGGER_FILTER_KEYS)[number];
export type FilterKey = ToolFilterKey | TriggerFilterKey;

export interface Filters<K extends FilterKey = FilterKey> {
  values: Partial<Record<K, string>>;
  range: DateRange;
}
export type ToolFilters = Filters<ToolFilterKey>;
export type TriggerFilters = Filters<TriggerFilterKey>;

type Normaliser = (value: string) => string | null;

const oneOf =
  (allowed: readonly string[]): Normaliser =>
  (value) =>
    allowed.includes(value) ? value : null;
const text: Normaliser = (value) => {
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= 512 ? trimmed : null;
};
const traceId: Normaliser = (value) => (isTraceIdLike(value) ? toTraceId(value) : null);
const pattern =
  (re: RegExp): Normaliser =>
  (value) =>
    re.test(value.trim()) ? value.trim() : null;

const TOOL_NORMALISERS: Record<ToolFilterKey, Normaliser> = {
  userId: text,
  integration: text,
  status: oneOf(TOOL_CALL_STATUSES),
  toolName: text,
  type: oneOf(TOOL_CALL_TYPES),
  traceId,
  errorCategory: oneOf(ERROR_CATEGORIES),
  errorGroup: pattern(/^[0-9a-f]{16}$/),
  errorCode: text,
  httpStatus: pattern(/^[1-5]\d\d$/),
  toolCallId: text,
};
const TRIGGER_NORMALISERS: Record<TriggerFilterKey, Normaliser> = {
  userId: text,
  integration: text,
  status: oneOf(TRIGGER_EVENT_STATUSES),
  type: oneOf(TRIGGER_EVENT_TYPES),
  triggerName: text,
};

function parseWith<K extends FilterKey>(normalisers: Record<K, Normaliser>, params: URLSearchParams): Filters<K> {
  const values: Partial<Record<K, string>> = {};
  for (const key of Object.keys(normalisers) as K[]) {
    const raw = params.get(key);
    const value = raw === null ? null : normalisers[key](raw);
    if (value !== null) values[key] = value;
  }
  return { values, range: parseRangeParams(params) };
}

/** A URL filter the view could not use, as `name=value`, so the page can say what it ignored. */
export interface IgnoredParam {
  name: string;
  value: string;
}

/** The filter params of the URL that parsing dropped (unknown values, times it cannot read). */
export function ignoredParams(params: URLSearchParams, tab: 'tools' | 'triggers'): IgnoredParam[] {
  const normalisers: Record<string, Normaliser> = tab === 'tools' ? TOOL_NORMALISERS : TRIGGER_NORMALISERS;
  const ignored: IgnoredParam[] = [];
  for (const [name, value] of params) {
    const normalise = normalisers[name];
    if (normalise && value !== '' && normalise(value) === null) ignored.push({ name, value });
  }
  const range = params.get('range');
  if (range !== null && !isDatePreset(range)) ignored.push({ name: 'range', value: range });
  for (const name of ['from', 'to'] as const) {
    const value = params.get(name);
    if (value !== null && value !== '' && parseInstant(value) === null) ignored.push({ name, value });
  }
  return ignored;
}

export function parseToolFilters(params: URLSearchParams): ToolFilters {
  return parseWith(TOOL_NORMALISERS, params);
}

export function parseTriggerFilters(params: URLSearchParams): TriggerFilters {
  return parseWith(TRIGGER_NORMALISERS, params);
}

function parseRangeParams(params: URLSearchParams): DateRange {
  const range = params.get('range');
  if (range && isDatePreset(range)) return { preset: range };
  const from = parseInstant(params.get('from'));
  const to = parseInstant(params.get('to'));
  if (from !== null && to !== null) return customRange(from, to);
  if (from !== null) return customRange(from, Math.max(from + 1000, Date.now()));
  return DEFAULT_RANGE;
}

/** The URL form of the filters; the default range is left out so plain links stay short. */
export function filtersToParams(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters.values)) {
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const { range } = filters;
  if (range.preset === 'custom') {
    params.set('from', new Date(range.from).toISOString());
    params.set('to', new Date(range.to).toISOString());
  } else if (range.preset !== DEFAULT_RANGE.preset) {
    params.set('range', range.preset);
  }
  return params;
}

/** Query params for the API: the filter values plus the resolved range as ISO instants. */
export function filtersToApiParams(filters: Filters, now: number): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters.values)) {
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const resolved: ResolvedRange = resolveRange(filters.range, now);
  params.set('from', new Date(resolved.from).toISOString());
  params.set('to', new Date(resolved.to).toISOString());
  return params;
}

/** Returns new filters with one value set (or cleared with null/empty). */
export function withFilterValue<K extends FilterKey>(filters: Filters<K>, key: K, value: string | null): Filters<K> {
  const values = { ...filters.values };
  if (value === null || value === '') delete values[key];
  else values[key] = value;
  return { ...filters, values };
}

export function activeFilterCount(filters: Filters): number {
  return Object.values(filters.values).filter((v) => typeof v === 'string' && v !== '').length;
}
