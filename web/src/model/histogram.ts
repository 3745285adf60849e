/**
 * Histogram response → stacked bars in a fixed viewBox (the SVG scales to its container), and
 * a brushed selection (fractions of the plot width) → a time range snapped to bucket edges.
 */
import type { SeriesDef } from './status.ts';

export interface HistogramData {
  from: string;
  to: string;
  bucketMs: number;
  buckets: { start: string; counts: Record<string, number> }[];
}

export interface HistogramSegment {
  key: string;
  label: string;
  colour: string;
  count: number;
  y: number;
  height: number;
}

export interface HistogramBar {
  start: number;
  end: number;
  x: number;
  width: number;
  total: number;
  segments: HistogramSegment[];
}

export interface HistogramLayout {
  bars: HistogramBar[];
  maxTotal: number;
  total: number;
  from: number;
  to: number;
  /** Totals per series across the whole range, for the legend. */
  totals: Record<string, number>;
}

/**
 * The time the x axis spans: the requested range, widened to whole buckets so the first and last
 * bars (aligned to bucket boundaries, possibly partly outside the range) are as wide as the rest.
 */
export function histogramDomain(data: Pick<HistogramData, 'from' | 'to' | 'bucketMs' | 'buckets'>): {
  from: number;
  to: number;
} {
  const starts = data.buckets.map((b) => Date.parse(b.start)).filter((t) => !Number.isNaN(t));
  const from = Math.min(Date.parse(data.from), ...starts);
  const to = Math.max(Date.parse(data.to), ...starts.map((s) => s + data.bucketMs));
  return { from, to };
}

/** Smallest drawn height (viewBox units) of a non-empty segment. */
export const MIN_SEGMENT_HEIGHT = 2;

export function layoutHistogram(
  data: HistogramData,
  series: readonly SeriesDef[],
  size: { width: number; height: number },
): HistogramLayout {
  const { from, to } = histogramDomain(data);
  const span = Math.max(1, to - from);
  const totals: Record<string, number> = Object.fromEntries(series.map((s) => [s.key, 0]));
  let maxTotal = 0;
  const raw = data.buckets.map((bucket) => {
    const start = Date.parse(bucket.start);
    const total = series.reduce((sum, s) => sum + (bucket.counts[s.key] ?? 0), 0);
    if (total > maxTotal) maxTotal = total;
    for (const s of series) totals[s.key] = (totals[s.key] ?? 0) + (bucket.counts[s.key] ?? 0);
    return { start, counts: bucket.counts, total };
  });
  const gap = size.width / Math.max(1, data.buckets.length) > 6 ? 1 : 0;
  const bars = raw.map(({ start, counts, total }): HistogramBar => {
    const end = start + data.bucketMs;
    const x = ((start - from) / span) * size.width;
    const width = Math.max(0.5, ((end - start) / span) * size.width - gap);
    let y = size.height;
    const segments = series
      .filter((s) => (counts[s.key] ?? 0) > 0)
      .map((s): HistogramSegment => {
        const count = counts[s.key] ?? 0;
        // A bucket with any calls stays visible next to a spike, however small its share.
        const height = maxTotal === 0 ? 0 : Math.max(MIN_SEGMENT_HEIGHT, (count / maxTotal) * size.height);
        y -= height;
        return { key: s.key, label: s.label, colour: s.colour, count, y, height };
      });
    return { start, end, x, width, total, segments };
  });
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  return { bars, maxTotal, total, from, to, totals };
}

/**
 * The time range a brush covers, from two horizontal fractions (0–1, any order) of the plot,
 * widened to whole buckets so the table shows exactly the bars the user selected.
 */
export function brushToRange(
  fractionA: number,
  fractionB: number,
  data: Pick<HistogramData, 'from' | 'to' | 'bucketMs' | 'buckets'>,
): { from: number; to: number } {
  const { from, to } = histogramDomain(data);
  const lo = Math.min(1, Math.max(0, Math.min(fractionA, fractionB)));
  const hi = Math.min(1, Math.max(0, Math.max(fractionA, fractionB)));
  const bucket = Math.max(1, data.bucketMs);
  const rawFrom = from + lo * (to - from);
  const rawTo = from + hi * (to - from);
  const snappedFrom = from + Math.floor((rawFrom - from) / bucket) * bucket;
  const snappedTo = Math.min(to, from + Math.ceil((rawTo - from) / bucket) * bucket);
  return { from: snappedFrom, to: snappedTo > snappedFrom ? snappedTo : Math.min(to, snappedFrom + bucket) };
}

/** A click without a drag selects the bucket under the pointer. */
export function isClick(fractionA: number, fractionB: number, plotWidthPx: number): boolean {
  return Math.abs(fractionA - fractionB) * plotWidthPx < 3;
}

/** Round numbers for the y axis: 0, a middle and the top value. */
export function yTicks(maxTotal: number): number[] {
  if (maxTotal <= 0) return [0];
  const magnitude = 10 ** Math.floor(Math.log10(maxTotal));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => maxTotal / s <= 4) ?? magnitude * 10;
  const ticks: number[] = [];
  for (let v = 0; v <= maxTotal; v += step) ticks.push(v);
  return ticks;
}

/** Every row the histogram counts, whatever its series. */
export function histogramTotal(data: Pick<HistogramData, 'buckets'>): number {
  let total = 0;
  for (const bucket of data.buckets) for (const count of Object.values(bucket.counts)) total += count;
  return total;
}
