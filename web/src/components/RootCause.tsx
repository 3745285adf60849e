/** The failed call's root cause up front: category, the deepest failing provider request and its answer. */
import type { ErrorCategory } from '@tooltrace/conventions';
import { prettyBody } from '../model/attribute-tree.ts';
import { errorCategoryView } from '../model/error-groups.ts';
import type { RootCause as Cause } from '../model/root-cause.ts';
import { httpStatusTone } from '../model/status.ts';
import styles from './RootCause.module.css';
import { Badge, StatusBadge } from './StatusBadge.tsx';

export function RootCause({
  cause,
  category,
  onJump,
}: {
  cause: Cause | null;
  category: ErrorCategory | null;
  onJump: (spanId: string) => void;
}) {
  if (!cause && !category) return null;
  return (
    <section className={styles.cause} aria-label="Root cause" data-testid="root-cause">
      <div className={styles.head}>
        <span className={styles.label}>Root cause</span>
        {category && <StatusBadge view={errorCategoryView(category)} />}
      </div>
      {cause ? (
        <>
          <p className={styles.request}>
            <span className="mono strong">{cause.method ?? 'Request'}</span>{' '}
            <span className="mono">{cause.target ?? cause.log.message}</span>
            {cause.status !== null && (
              <>
                {' '}
                → <Badge tone={httpStatusTone(cause.status)}>{cause.status}</Badge>
              </>
            )}
            <button type="button" className="link-button" onClick={() => cause.log.spanId && onJump(cause.log.spanId)}>
              Jump to log
            </button>
          </p>
          {cause.body && <pre className={styles.body}>{prettyBody(cause.body)}</pre>}
        </>
      ) : (
        <p className="muted">No failing provider request arrived for this call; its own error is below.</p>
      )}
    </section>
  );
}
