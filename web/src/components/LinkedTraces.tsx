/** The trace's span links as "Linked traces": each names the linking span and opens the linked trace. */
import type { LogEntry } from '@tooltrace/conventions';
import { Link } from '../app/router.tsx';
import { linkAttributesLine, linkedTraces } from '../model/linked-traces.ts';
import { routePath } from '../model/routes.ts';
import styles from './LinkedTraces.module.css';

export function LinkedTraces({ logs }: { logs: readonly LogEntry[] }) {
  const rows = linkedTraces(logs);
  if (rows.length === 0) return null;
  return (
    <section className="panel" aria-label="Linked traces" data-testid="linked-traces">
      <h2 className="panel-title">Linked traces</h2>
      <ul className={styles.list}>
        {rows.map((row, i) => {
          const attributes = linkAttributesLine(row.attributes);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a span may link the same span twice
            <li key={i} className={styles.row}>
              <span className={styles.from}>
                from <span className="mono">{row.fromSpan}</span>
              </span>
              <Link
                className={styles.target}
                to={routePath({ name: 'trace', traceId: row.traceId, valid: true })}
                title={row.sameTrace ? 'A span of this trace' : 'Open the linked trace'}
              >
                {row.traceId}
              </Link>
              <span className={styles.span}>
                span <span className="mono">{row.spanId}</span>
                {row.sameTrace && ' (this trace)'}
              </span>
              {attributes && <span className={styles.attributes}>{attributes}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
