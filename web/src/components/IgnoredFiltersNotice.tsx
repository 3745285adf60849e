/** Says which URL filters the view could not use (instead of dropping them silently); dismissing cleans the URL. */
import type { IgnoredParam } from '../model/filters.ts';
import styles from './IgnoredFiltersNotice.module.css';

export function IgnoredFiltersNotice({ ignored, onDismiss }: { ignored: IgnoredParam[]; onDismiss: () => void }) {
  if (ignored.length === 0) return null;
  return (
    <div className={styles.notice} role="alert" data-testid="ignored-filters">
      <span>
        Ignored {ignored.length === 1 ? 'a filter' : `${ignored.length} filters`} this view cannot use:{' '}
        {ignored.map((p, i) => (
          <span key={`${p.name}=${p.value}`}>
            {i > 0 && ', '}
            <code>
              {p.name}={p.value}
            </code>
          </span>
        ))}
        .
      </span>
      <button type="button" className="link-button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
