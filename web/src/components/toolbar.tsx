import { useRef, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import type { LiveState } from '../app/use-live.ts';
import { type ExportFormat, exportFileName, exportParams } from '../model/export.ts';
import type { Filters } from '../model/filters.ts';
import styles from './toolbar.module.css';

export function LiveToggle({
  on,
  state,
  newCount,
  disabledReason,
  onToggle,
}: {
  on: boolean;
  state: LiveState;
  newCount: number;
  disabledReason: string | null;
  onToggle: () => void;
}) {
  const label = !on ? 'Live' : state === 'live' ? 'Live' : state === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
  return (
    <div className={styles.liveToggleWrap}>
      <button
        type="button"
        className={`button ${styles.liveToggle}${on ? ` ${styles.isOn}` : ''}${state === 'reconnecting' || state === 'connecting' ? ` ${styles.pending}` : ''}`}
        data-live-state={state}
        aria-pressed={on}
        onClick={onToggle}
        disabled={disabledReason !== null}
        title={disabledReason ?? (on ? 'Stop live updates' : 'Show new rows as they arrive')}
      >
        <span className={styles.liveDot} aria-hidden="true" />
        {label}
      </button>
      {on && newCount > 0 && (
        <span className={styles.liveCount} data-testid="live-count" role="status" aria-live="polite">
          {newCount} new
        </span>
      )}
    </div>
  );
}

export function ExportMenu({
  api,
  resource,
  filters,
}: {
  api: ApiClient;
  resource: 'tool-calls' | 'trigger-events';
  filters: Filters;
}) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    if (menu.current) menu.current.open = false;
    try {
      const now = Date.now();
      const blob = await api.exportBlob(resource, exportParams(filters, format, now));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(resource, format, now);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className={styles.exportMenu}>
      <details ref={menu}>
        <summary className="button" aria-label="Export the rows of the current filter">
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M8 2v8M4.5 6.5L8 10l3.5-3.5M3 13h10" fill="none" stroke="currentColor" strokeWidth="1.6" />
          </svg>
          {busy ? 'Exporting…' : 'Export'}
        </summary>
        <div className={`popover ${styles.menu}`} role="menu">
          <button type="button" role="menuitem" disabled={busy !== null} onClick={() => run('csv')}>
            CSV <span className="muted">spreadsheet</span>
          </button>
          <button type="button" role="menuitem" disabled={busy !== null} onClick={() => run('ndjson')}>
            NDJSON <span className="muted">one JSON record per line</span>
          </button>
        </div>
      </details>
      {error && (
        <span className="field-error" role="alert">
          Export failed: {error}
        </span>
      )}
    </div>
  );
}
