import type { SpanNode, TraceWarning } from '@tooltrace/conventions';
import { formatDuration } from '../model/format.ts';
import { KIND_LABELS } from '../model/log-metadata.ts';
import { buildWaterfall, waterfallTicks } from '../model/waterfall.ts';
import { Badge } from './StatusBadge.tsx';
import styles from './Waterfall.module.css';

export function Waterfall({
  spans,
  warnings = [],
  messages,
  labels,
  onSelect,
  selected,
}: {
  spans: SpanNode[];
  warnings?: readonly TraceWarning[];
  messages?: ReadonlyMap<string, string>;
  labels?: ReadonlyMap<string, string>;
  onSelect: (spanId: string) => void;
  selected: string | null;
}) {
  const { rows, totalMs } = buildWaterfall(spans, { warnings, messages, labels });
  if (rows.length === 0) return <p className="muted">No spans have arrived for this trace yet.</p>;
  const ticks = waterfallTicks(totalMs, 4);
  return (
    <div className={styles.waterfall} role="table" aria-label="Span waterfall">
      <div className={`${styles.wfRow} ${styles.wfHead}`} role="row">
        <div className={styles.wfName} role="columnheader">
          Span
        </div>
        <div className={styles.wfTrack} role="columnheader" aria-label="Timeline">
          {ticks.map((t) => (
            <span key={t.pct} className={styles.wfTick} style={{ left: `${t.pct}%` }}>
              {formatDuration(t.ms)}
            </span>
          ))}
        </div>
      </div>
      {rows.map((row) => (
        <div
          key={row.key}
          role="row"
          className={`${styles.wfRow}${row.isError ? ` ${styles.isError}` : ''}${selected === row.spanId ? ` ${styles.isSelected}` : ''}`}
          onClick={() => onSelect(row.spanId)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              onSelect(row.spanId);
            }
          }}
          tabIndex={0}
          aria-label={`${row.name}, ${formatDuration(row.durationMs)}${row.isError ? ', error' : ''}${
            row.warnings.length > 0 ? `, warning: ${row.warnings.join('; ')}` : ''
          }`}
        >
          <div className={styles.wfName} role="cell" style={{ paddingLeft: `${8 + row.depth * 16}px` }}>
            <span
              className={styles.wfKind}
              data-kind={row.kind ?? 'other'}
              title={row.kind ? KIND_LABELS[row.kind] : 'Span'}
              aria-hidden="true"
            />
            <span className={styles.wfLabel} data-testid="span-name" title={row.message ?? row.name}>
              {row.name}
            </span>
            {row.warnings.length > 0 && (
              <Badge tone="warning" title={row.warnings.join('\n')}>
                ⚠
              </Badge>
            )}
          </div>
          <div className={styles.wfTrack} role="cell">
            {ticks.slice(1, -1).map((t) => (
              <span key={t.pct} className={styles.wfGrid} style={{ left: `${t.pct}%` }} aria-hidden="true" />
            ))}
            <span
              className={styles.wfBar}
              data-testid="span-bar"
              style={{ left: `${row.offsetPct}%`, width: `max(${row.widthPct}%, 2px)` }}
              title={`starts at +${formatDuration(row.startMs)}, takes ${formatDuration(row.durationMs)}`}
            />
            <span
              className={styles.wfDuration}
              data-placement={labelPlacement(row.offsetPct, row.widthPct)}
              style={labelStyle(row.offsetPct, row.widthPct)}
            >
              {formatDuration(row.durationMs)}
            </span>
          </div>
        </div>
      ))}
    </div>
  );
}

type Placement = 'after' | 'before' | 'inside';

/** The duration label goes after the bar, before it when the bar ends near the edge, else inside it. */
function labelPlacement(offsetPct: number, widthPct: number): Placement {
  if (offsetPct + widthPct <= 80) return 'after';
  if (offsetPct >= 20) return 'before';
  return 'inside';
}

function labelStyle(offsetPct: number, widthPct: number): React.CSSProperties {
  switch (labelPlacement(offsetPct, widthPct)) {
    case 'after':
      return { left: `calc(${offsetPct + widthPct}% + 6px)` };
    case 'before':
      return { right: `calc(${100 - offsetPct}% + 6px)` };
    case 'inside':
      return { right: `calc(${100 - offsetPct - widthPct}% + 6px)` };
  }
}
