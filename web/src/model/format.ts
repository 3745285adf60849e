/** Display formatting of durations, times and counts. */
import { displayTimeZone } from './time-zone.ts';

export function formatDuration(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms === 0) return '0 ms';
  // A span that ends before it starts is shown as sent (the trace view warns about it).
  if (ms < 0) return `−${formatDuration(-ms)}`;
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1).replace(/\.0$/, '') : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${seconds}s`;
}

export interface TimeFormatOptions {
  timeZone?: string;
  locale?: string;
}

/** `Nov 28, 12:15:03.123` in the viewer's zone (or the one given, for tests). */
export function formatTimestamp(iso: string, options: TimeFormatOptions = {}): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const parts = new Intl.DateTimeFormat(options.locale ?? 'en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hourCycle: 'h23',
    timeZone: options.timeZone ?? displayTimeZone(),
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('month')} ${get('day')}, ${get('hour')}:${get('minute')}:${get('second')}.${get('fractionalSecond')}`;
}

/** Shorter label for axes: `12:15` within a day's range, `Nov 28` beyond. */
export function formatAxisTime(ms: number, spanMs: number, options: TimeFormatOptions = {}): string {
  const fmt = new Intl.DateTimeFormat(options.locale ?? 'en-US', {
    ...(spanMs > 2 * 24 * 3_600_000 ? { month: 'short', day: 'numeric' } : { hour: '2-digit', minute: '2-digit' }),
    hourCycle: 'h23',
    timeZone: options.timeZone ?? displayTimeZone(),
  });
  return fmt.format(new Date(ms));
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US').format(n);
}

/** `3 min ago` style, for live rows and the retention tooltip. */
export function formatAgo(iso: string, now: number): string {
  const diff = Math.max(0, now - Date.parse(iso));
  if (diff < 45_000) return 'just now';
  if (diff < 3_600_000) return `${Math.round(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.round(diff / 3_600_000)} h ago`;
  return `${Math.round(diff / 86_400_000)} d ago`;
}

/** `Nov 28, 00:30 – 05:30` (same day) or `Nov 27, 22:00 – Nov 28, 05:30`, for a custom range's label. */
export function formatRangeShort(from: number, to: number, options: TimeFormatOptions = {}): string {
  const day = new Intl.DateTimeFormat(options.locale ?? 'en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: options.timeZone ?? displayTimeZone(),
  });
  const time = new Intl.DateTimeFormat(options.locale ?? 'en-US', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: options.timeZone ?? displayTimeZone(),
  });
  const a = new Date(from);
  const b = new Date(to);
  const sameDay = day.format(a) === day.format(b);
  return sameDay
    ? `${day.format(a)}, ${time.format(a)} – ${time.format(b)}`
    : `${day.format(a)}, ${time.format(a)} – ${day.format(b)}, ${time.format(b)}`;
}

/** `Nov 30 13:03:45`, for narrow tables: short, but a row of yesterday still says so. */
export function formatTimeOfDay(iso: string, options: TimeFormatOptions = {}): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(options.locale ?? 'en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: options.timeZone ?? displayTimeZone(),
  }).format(new Date(ms));
}

/** How many `--identity-N` hues tokens.css defines for integration icons. */
export const IDENTITY_HUES = 8;

/** A stable colour per integration name (one of the identity tokens), so the same integration looks the same in every row. */
export function integrationColour(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `var(--identity-${hash % IDENTITY_HUES})`;
}

const TOOL_CALL_TYPE_LABELS: Record<string, string> = { run_tool: 'Run tool', list_tools: 'List tools' };

export function toolCallTypeLabel(type: string): string {
  return TOOL_CALL_TYPE_LABELS[type] ?? type;
}

/**
 * An identifier or URL cut after its separators (`_ / . ? & =`), the places a line may wrap
 * without splitting a word: `GOOGLE_DRIVE_FILE_` / `UPDATED` rather than `GOOGLE_DRIVE_FILE_UP` / `DATED`.
 */
export function wrapSegments(text: string): string[] {
  return text.split(/(?<=[_/.?&=])/);
}
