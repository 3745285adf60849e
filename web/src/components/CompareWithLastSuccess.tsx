/** "Compare with last success": what changed between a failed call and the last success of the same tool. */
import type { ToolCallComparisonResponse } from '@tooltrace/conventions';
import { useState } from 'react';
import { useComparison } from '../app/queries.ts';
import { Link } from '../app/router.tsx';
import { formatDuration, formatTimestamp } from '../model/format.ts';
import { routePath } from '../model/routes.ts';
import { httpStatusTone } from '../model/status.ts';
import styles from './CompareWithLastSuccess.module.css';
import { Badge } from './StatusBadge.tsx';
import { ErrorState, SkeletonRows } from './states.tsx';

export function CompareWithLastSuccess({ traceId, spanId }: { traceId: string; spanId: string }) {
  const [open, setOpen] = useState(false);
  const comparison = useComparison(traceId, spanId, open);
  return (
    <details className={styles.compare} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Compare with last success</summary>
      {!open ? null : comparison.isPending ? (
        <SkeletonRows rows={3} label="Loading the comparison" />
      ) : comparison.isError ? (
        <ErrorState error={comparison.error} what="the comparison" onRetry={() => comparison.refetch()} />
      ) : (
        <Comparison data={comparison.data} />
      )}
    </details>
  );
}

const show = (value: unknown) => (value === undefined ? '' : JSON.stringify(value));

function Comparison({ data }: { data: ToolCallComparisonResponse }) {
  const { baseline, failing } = data;
  if (!baseline) {
    return (
      <p className="muted" data-testid="no-baseline">
        No earlier successful call of {failing.toolName ?? 'this tool'}
        {failing.userId ? ` for ${failing.userId}` : ''}: nothing to compare with. This tool may never have worked for
        this user.
      </p>
    );
  }
  return (
    <div className={styles.body}>
      <p>
        Last success:{' '}
        <Link to={`${routePath({ name: 'trace', traceId: baseline.traceId, valid: true })}?span=${baseline.spanId}`}>
          {formatTimestamp(baseline.startedAt)}
        </Link>
      </p>
      <h3>Parameters</h3>
      {data.parameterDiff.length === 0 ? (
        <p className="muted">The same parameters.</p>
      ) : (
        <table className={styles.table} aria-label="Parameter changes">
          <thead>
            <tr>
              <th>Key</th>
              <th>Last success</th>
              <th>This call</th>
            </tr>
          </thead>
          <tbody>
            {data.parameterDiff.map((d) => (
              <tr key={d.path} className={styles[d.change]} data-change={d.change}>
                <td className="mono">{d.path}</td>
                <td className="mono">{show(d.before)}</td>
                <td className="mono">{show(d.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Provider requests</h3>
      <table className={styles.table} aria-label="Provider requests side by side">
        <thead>
          <tr>
            <th>Last success</th>
            <th>This call</th>
          </tr>
        </thead>
        <tbody>
          {data.requests.map((r) => (
            <tr
              key={`${r.failing?.spanId ?? '-'}:${r.baseline?.spanId ?? '-'}`}
              className={r.failing && r.baseline ? undefined : styles.added}
            >
              <td>
                <RequestCell request={r.baseline} />
              </td>
              <td>
                <RequestCell request={r.failing} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Request = ToolCallComparisonResponse['requests'][number]['failing'];

function RequestCell({ request }: { request: Request }) {
  if (!request) return <span className="muted">—</span>;
  return (
    <span className={styles.request}>
      <span className="mono">
        {request.method} {request.host}
        {request.path}
      </span>
      {request.status !== null && <Badge tone={httpStatusTone(request.status)}>{request.status}</Badge>}
      <span className="muted">{formatDuration(request.durationMs)}</span>
    </span>
  );
}
