/** Calls over time stacked by status; drag (or click a bar) to narrow the date range. */

import type { HistogramResponse } from '@tooltrace/conventions';
import { useRef, useState } from 'react';
import { formatAxisTime, formatCount, formatTimestamp } from '../model/format.ts';
import { brushToRange, isClick, layoutHistogram, yTicks } from '../model/histogram.ts';
import type { SeriesDef } from '../model/status.ts';
import styles from './Histogram.module.css';
import { Skeleton } from './states.tsx';

const W = 1000;
const H = 120;

export function Histogram({
  data,
  series,
  loading,
  noun,
  onRange,
}: {
  data: HistogramResponse | undefined;
  series: SeriesDef[];
  loading: boolean;
  noun: string;
  onRange: (from: number, to: number) => void;
}) {
  const plot = useRef<HTMLDivElement>(null);
  const [brush, setBrush] = useState<{ a: number; b: number } | null>(null);
  const [hover, setHover] = useState<number | null>(null);

  if (!data) {
    if (!loading) return null; // the caller shows the error state
    return (
      <div className={styles.histogram} aria-busy={loading}>
        <div className={styles.histogramPlot}>
          <Skeleton height={H} />
        </div>
      </div>
    );
  }

  const layout = layoutHistogram(data, series, { width: W, height: H });
  const fraction = (clientX: number) => {
    const rect = plot.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return 0;
    return Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
  };
  const spanMs = layout.to - layout.from;
  const labels = 6;
  const hovered = hover !== null ? layout.bars[hover] : undefined;
  const ticks = yTicks(layout.maxTotal);

  return (
    <figure className={styles.histogram} aria-label={`${noun} over time by status`}>
      <figcaption className={styles.histogramLegend}>
        <span className={styles.histogramTotal} data-testid="histogram-total">
          <strong>{formatCount(layout.total)}</strong> {noun}
        </span>
        {series.map((s) => (
          <span key={s.key} className={styles.legendItem}>
            <span className={styles.legendSwatch} style={{ background: s.colour }} aria-hidden="true" />
            {s.label} <strong>{formatCount(layout.totals[s.key] ?? 0)}</strong>
          </span>
        ))}
        <span className={styles.legendHint}>Drag across the chart to zoom in</span>
      </figcaption>
      <div className={styles.histogramBody}>
        <div className={styles.histogramY} aria-hidden="true">
          {ticks.map((t) => (
            <span key={t} style={{ bottom: `${layout.maxTotal ? (t / layout.maxTotal) * 100 : 0}%` }}>
              {formatCount(t)}
            </span>
          ))}
        </div>
        <div
          ref={plot}
          className={styles.histogramPlot}
          role="slider"
          tabIndex={0}
          aria-label={`${formatCount(layout.total)} ${noun} between ${formatTimestamp(data.from)} and ${formatTimestamp(data.to)}. Drag to select a time range; with the keyboard, arrows pick a bar and Enter shows its range.`}
          aria-valuemin={0}
          aria-valuemax={Math.max(0, layout.bars.length - 1)}
          aria-valuenow={hover ?? 0}
          aria-valuetext={
            hovered
              ? `${formatTimestamp(new Date(hovered.start).toISOString())}: ${formatCount(hovered.total)} ${noun}`
              : 'no bar picked'
          }
          onKeyDown={(e) => {
            // Keyboard users pick a bar with the arrows and filter to it with Enter, as a click on it does.
            const last = layout.bars.length - 1;
            if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
              e.preventDefault();
              const step = e.key === 'ArrowRight' ? 1 : -1;
              setHover((h) => Math.min(last, Math.max(0, (h ?? (step > 0 ? -1 : last + 1)) + step)));
            } else if (e.key === 'Enter' && hovered && hovered.total > 0) {
              e.preventDefault();
              onRange(hovered.start, hovered.end);
            }
          }}
          onBlur={() => setHover(null)}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
            const f = fraction(e.clientX);
            setBrush({ a: f, b: f });
          }}
          onPointerMove={(e) => {
            const f = fraction(e.clientX);
            if (brush) setBrush({ ...brush, b: f });
            const index = layout.bars.findIndex((bar) => (bar.x + bar.width + 1) / W >= f);
            setHover(index === -1 ? null : index);
          }}
          onPointerLeave={() => setHover(null)}
          onPointerUp={(e) => {
            if (!brush) return;
            const rect = plot.current?.getBoundingClientRect();
            const b = fraction(e.clientX);
            setBrush(null);
            if (isClick(brush.a, b, rect?.width ?? W) && hovered?.total === 0) return;
            const range = brushToRange(brush.a, b, data);
            onRange(range.from, range.to);
          }}
        >
          <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" width="100%" height="100%" aria-hidden="true">
            {ticks.slice(1).map((t) => (
              <line
                key={t}
                x1={0}
                x2={W}
                y1={H - (t / layout.maxTotal) * H}
                y2={H - (t / layout.maxTotal) * H}
                className={styles.gridLine}
              />
            ))}
            {layout.bars.map((bar, i) => (
              <g key={bar.start} opacity={hover === null || hover === i ? 1 : 0.55}>
                {bar.segments.map((s) => (
                  <rect
                    key={s.key}
                    x={bar.x}
                    y={s.y}
                    width={bar.width}
                    height={Math.max(s.height, 0.5)}
                    style={{ fill: s.colour }}
                  />
                ))}
              </g>
            ))}
            {brush && (
              <rect
                className={styles.brush}
                x={Math.min(brush.a, brush.b) * W}
                width={Math.abs(brush.b - brush.a) * W}
                y={0}
                height={H}
              />
            )}
          </svg>
          {layout.total === 0 && <div className={styles.histogramEmpty}>No {noun} in this range</div>}
          {hovered && !brush && hovered.total > 0 && (
            <div
              className={styles.histogramTooltip}
              style={{ left: `${Math.min(90, Math.max(10, ((hovered.x + hovered.width / 2) / W) * 100))}%` }}
              role="tooltip"
            >
              <div className={styles.tooltipTime}>{formatTimestamp(new Date(hovered.start).toISOString())}</div>
              {hovered.segments
                .slice()
                .reverse()
                .map((s) => (
                  <div key={s.key} className={styles.tooltipRow}>
                    <span className={styles.legendSwatch} style={{ background: s.colour }} />
                    {s.label}
                    <strong>{formatCount(s.count)}</strong>
                  </div>
                ))}
            </div>
          )}
        </div>
      </div>
      <div className={styles.histogramX} aria-hidden="true">
        {Array.from({ length: labels }, (_, i) => {
          const t = layout.from + (spanMs * i) / (labels - 1);
          return (
            <span key={t} style={{ left: `${(i / (labels - 1)) * 100}%` }}>
              {formatAxisTime(t, spanMs)}
            </span>
          );
        })}
      </div>
    </figure>
  );
}
