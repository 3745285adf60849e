/**
 * Span tree → waterfall rows: depth-first order, each bar placed as a percentage of the
 * trace's extent. Times use the nanosecond strings so sub-millisecond spans keep their order.
 */
import type { SpanNode } from '@tooltrace/conventions';

export interface WaterfallRow {
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
  message: string;
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

export function buildWaterfall(roots: readonly SpanNode[]): Waterfall {
  const flat: { span: SpanNode; depth: number }[] = [];
  const visit = (span: SpanNode, depth: number, seen: Set<string>) => {
    if (seen.has(span.spanId)) return; // a malformed tree must not loop forever
    seen.add(span.spanId);
    flat.push({ span, depth });
    for (const child of span.children) visit(child, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const root of roots) visit(root, 0, seen);
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

  const rows = flat.map(({ span, depth }): WaterfallRow => {
    const offsetNs = startNs(span) - min;
    const offsetPct = clamp(pct(offsetNs), 0, 100);
    const widthPct = totalNs === 0n ? 100 : clamp(pct(durationNs(span)), 0, 100 - offsetPct);
    return {
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: span.name ?? span.message,
      kind: span.kind,
      level: span.level,
      depth,
      startMs: Number(offsetNs) / 1_000_000,
      durationMs: span.durationMs,
      offsetPct,
      widthPct,
      isError: span.level === 'error',
      childCount: span.children.length,
      message: span.message,
    };
  });
  return { rows, totalMs };
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
