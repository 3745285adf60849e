import { formatRangeShort } from './format.ts';

/** Date range presets and their resolution to absolute times. */

export const DATE_PRESETS = ['15m', '1h', '24h', '7d', '30d'] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

export type DateRange = { preset: DatePreset } | { preset: 'custom'; from: number; to: number };

export const DEFAULT_RANGE: DateRange = { preset: '24h' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const PRESET_DURATION_MS: Record<DatePreset, number> = {
  '15m': 15 * MINUTE,
  '1h': HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
};

export const PRESET_LABELS: Record<DatePreset | 'custom', string> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  custom: 'Custom range',
};

export const PRESET_SHORT_LABELS: Record<DatePreset, string> = {
  '15m': '15m',
  '1h': '1h',
  '24h': '24h',
  '7d': '7d',
  '30d': '30d',
};

/** The label of the range the user is looking at, e.g. `Last 24 hours` or `Nov 28, 00:30 – 05:30`. */
export function rangeLabel(range: DateRange): string {
  return range.preset === 'custom' ? formatRangeShort(range.from, range.to) : PRESET_LABELS[range.preset];
}

export function isDatePreset(value: string): value is DatePreset {
  return (DATE_PRESETS as readonly string[]).includes(value);
}

export interface ResolvedRange {
  from: number;
  to: number;
}

/** Presets are relative to `now`, which the caller pins so a query key stays stable between renders. */
export function resolveRange(range: DateRange, now: number): ResolvedRange {
  if (range.preset === 'custom') return { from: range.from, to: range.to };
  return { from: now - PRESET_DURATION_MS[range.preset], to: now };
}

/** A custom range from two instants in either order; an empty range widens to one second. */
export function customRange(a: number, b: number): DateRange {
  const from = Math.floor(Math.min(a, b));
  const to = Math.ceil(Math.max(a, b));
  return { preset: 'custom', from, to: to > from ? to : from + 1000 };
}

/** Parses `2026-11-28T12:00:00Z`, a datetime-local value, or epoch milliseconds; null when it is none of these. */
export function parseInstant(value: string | null | undefined): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d{10,}$/.test(trimmed)) return Number(trimmed);
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : ms;
}

/** `<input type="datetime-local">` wants local wall-clock time without a zone. */
export function toDatetimeLocalValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
