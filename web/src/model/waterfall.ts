/**
 * Span tree → waterfall rows: depth-first order, each bar placed as a percentage of the
 * trace's extent. Times use the nanosecond strings so sub-millisecond spans keep their order.
 * The tree is the API's (built once there); this only lays it out, and pins the API's
 * warnings (duplicate IDs, negative durations, missing parents) to the rows they name.
 */
import type { SpanNode, TraceWarning } from '@tooltrace/conventions';

export interface WaterfallRow {
  /** Unique per row even when two spans share a span ID. */
  key: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanNode['kind'];
  level: SpanNode['level'];
  depth: number;
  /** Start relative to the trace start. */
  startMs: number;
  durationMs: number;
  /** Left edge of the bar, 0–100. */
  offsetPct: number;
  /** Width of the bar, 0–(100 − offset). */
  widthPct: number;
  isError: boolean;
  childCount: number;
  /** The span's log message (its readable line), when the span's log is known. */
  message: string | null;
  /** What looks wrong with this span, as the API's warnings say; empty when nothing. */
  warnings: string[];
}

export interface WaterfallInput {
  /** Span ID → the readable message of the span's log entry (attributes stay on the log). */
  messages?: ReadonlyMap<string, string>;
  /** Span ID → a better name than the span's own (`POST slack.com/api/chat.postMessage` for a bare `POST`). */
  labels?: ReadonlyMap<string, string>;
  warnings?: readonly TraceWarning[];
}

export interface Waterfall {
  rows: WaterfallRow[];
  totalMs: number;
}

const NS_PER_MS = 1_000_000n;

function startNs(span: SpanNode): bigint {
  try {
    return BigInt(span.timeUnixNano);
  } catch {
    return BigInt(Date.parse(span.timestamp)) * NS_PER_MS;
  }
}

function durationNs(span: SpanNode): bigint {
  return BigInt(Math.max(0, Math.round(span.durationMs * 1_000_000)));
}

export function buildWaterfall(roots: readonly SpanNode[], input: WaterfallInput = {}): Waterfall {
  const flat: { span: SpanNode; depth: number }[] = [];
  // By node, not by ID: two spans sharing an ID are both drawn, a node met twice only once.
  const seen = new Set<SpanNode>();
  const visit = (span: SpanNode, depth: number) => {
    if (seen.has(span)) return; // a malformed tree must not loop forever
    seen.add(span);
    flat.push({ span, depth });
    for (const child of span.children) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  if (flat.length === 0) return { rows: [], totalMs: 0 };

  let min = startNs(flat[0]!.span);
  let max = min;
  for (const { span } of flat) {
    const s = startNs(span);
    const e = s + durationNs(span);
    if (s < min) min = s;
    if (e > max) max = e;
  }
  const totalNs = max - min;
  const totalMs = Number(totalNs) / 1_000_000;
  const pct = (ns: bigint) => (totalNs === 0n ? 0 : (Number(ns) / Number(totalNs)) * 100);

  const warned = warningsBySpan(input.warnings ?? []);
  const keys = new Map<string, number>();
  const rows = flat.map(({ span, depth }): WaterfallRow => {
    const copy = keys.get(span.spanId) ?? 0;
    keys.set(span.spanId, copy + 1);
    const offsetNs = startNs(span) - min;
    const offsetPct = clamp(pct(offsetNs), 0, 100);
    const widthPct = totalNs === 0n ? 100 : clamp(pct(durationNs(span)), 0, 100 - offsetPct);
    const message = input.messages?.get(span.spanId) ?? null;
    return {
      key: copy === 0 ? span.spanId : `${span.spanId}#${copy}`,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: input.labels?.get(span.spanId) ?? span.name ?? message ?? span.spanId,
      kind: span.kind,
      level: span.level,
      depth,
      startMs: Number(offsetNs) / 1_000_000,
      durationMs: span.durationMs,
      offsetPct,
      widthPct,
      isError: span.level === 'error',
      childCount: span.children.length,
      message,
      warnings: warned.get(span.spanId) ?? [],
    };
  });
  return { rows, totalMs };
}

function warningsBySpan(warnings: readonly TraceWarning[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const w of warnings) out.set(w.spanId, [...(out.get(w.spanId) ?? []), w.message]);
  return out;
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

/** Evenly spaced time ticks for the waterfall ruler: `count` + 1 labels from 0 to the total. */
export function waterfallTicks(totalMs: number, count = 4): { pct: number; ms: number }[] {
  const ticks: { pct: number; ms: number }[] = [];
  for (let i = 0; i <= count; i++) ticks.push({ pct: (i / count) * 100, ms: (totalMs * i) / count });
  return ticks;
}
