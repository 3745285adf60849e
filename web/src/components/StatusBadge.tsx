import { formatTimeOfDay, formatTimestamp } from '../model/format.ts';
import type { StatusView, Tone } from '../model/status.ts';

export function Badge({ tone, children, title }: { tone: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function StatusBadge({ view }: { view: StatusView }) {
  return (
    <span className={`badge badge-${view.tone}`} data-status-label={view.label}>
      <span className="badge-dot" aria-hidden="true" />
      {view.label}
    </span>
  );
}

/** Full timestamp on wide windows, time of day on narrow ones (CSS picks), the ISO instant on hover. */
export function TimeCell({ iso }: { iso: string }) {
  return (
    <span className="mono" title={iso}>
      <span className="time-full">{formatTimestamp(iso)}</span>
      <span className="time-short">{formatTimeOfDay(iso)}</span>
    </span>
  );
}
