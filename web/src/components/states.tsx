/** Loading, empty and error states: designed, with the next step spelled out. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import styles from './states.module.css';

export function Skeleton({ width = '100%', height = 14 }: { width?: string | number; height?: number }) {
  return <span className={styles.skeleton} style={{ width, height }} aria-hidden="true" />;
}

export function SkeletonRows({ rows = 8, label }: { rows?: number; label: string }) {
  return (
    <div className={styles.skeletonRows} role="status" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <div className={styles.skeletonRow} key={i}>
          <Skeleton width="14%" />
          <Skeleton width="10%" />
          <Skeleton width={`${22 + ((i * 7) % 14)}%`} />
          <Skeleton width="12%" />
          <Skeleton width="8%" />
        </div>
      ))}
    </div>
  );
}

export function EmptyState({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className={styles.emptyState} role="status">
      <svg className={styles.emptyIcon} viewBox="0 0 48 48" width="44" height="44" aria-hidden="true">
        <circle cx="21" cy="21" r="12" fill="none" stroke="currentColor" strokeWidth="3" />
        <path d="M30 30l9 9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <h3>{title}</h3>
      {children && <div className={styles.emptyBody}>{children}</div>}
      {actions && <div className={styles.emptyActions}>{actions}</div>}
    </div>
  );
}

export function ErrorState({ error, onRetry, what }: { error: unknown; onRetry?: () => void; what: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className={styles.errorState} role="alert">
      <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
        <path d="M12 3l10 18H2z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
        <path d="M12 10v5M12 18v.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <div>
        <h3>Could not load {what}</h3>
        <p>
          {message}
          {code && <span> ({code})</span>}
        </p>
      </div>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
