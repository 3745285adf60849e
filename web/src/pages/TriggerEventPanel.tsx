/** The trigger event detail panel: the event, its deliveries (with attempts), and its logs. */
import type { Delivery, LogEntry, TriggerEvent } from '@tooltrace/conventions';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useTriggerEvent } from '../app/queries.ts';
import { Link } from '../app/router.tsx';
import { useShortcuts } from '../app/shortcuts.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { IntegrationName } from '../components/IntegrationName.tsx';
import { SummaryField } from '../components/KeyValue.tsx';
import { LogList } from '../components/LogList.tsx';
import { Badge, StatusBadge } from '../components/StatusBadge.tsx';
import { EmptyState, ErrorState, Skeleton, SkeletonRows } from '../components/states.tsx';
import { WrappableText } from '../components/WrappableText.tsx';
import { formatDuration, formatTimestamp } from '../model/format.ts';
import { deliveryAttempts, sortLogs } from '../model/log-metadata.ts';
import { routePath } from '../model/routes.ts';
import { deliveryStatusView, httpStatusTone, triggerEventStatusView } from '../model/status.ts';
import { noDeliveriesText } from '../model/trigger-event.ts';
import styles from './TriggerEventPanel.module.css';

export function TriggerEventPanel({ eventId, onClose }: { eventId: string; onClose: () => void }) {
  const detail = useTriggerEvent(eventId);
  const panel = useRef<HTMLElement>(null);
  useShortcuts({ close: onClose });
  useEffect(() => {
    panel.current?.focus();
  }, []);
  const logs = useMemo(() => sortLogs(detail.data?.logs ?? []), [detail.data]);

  return (
    <aside ref={panel} className={styles.panel} aria-label="Trigger event detail" tabIndex={-1}>
      <div className={styles.head}>
        <div>
          <p className={styles.eyebrow} data-testid="panel-kind">
            {detail.data?.event.type === 'subscription' ? 'Subscription' : 'Trigger event'}
          </p>
          <h2 className={`mono ${styles.eventId}`}>
            {eventId} <CopyButton value={eventId} label="Copy event ID" />
          </h2>
        </div>
        <button
          type="button"
          className="icon-button"
          onClick={onClose}
          aria-label="Close panel (Esc)"
          title="Close (Esc)"
        >
          ×
        </button>
      </div>
      <div className={styles.body}>
        {detail.isPending ? (
          <div aria-busy="true">
            <Skeleton width="60%" height={18} />
            <SkeletonRows rows={4} label="Loading trigger event" />
          </div>
        ) : detail.isError ? (
          detail.error instanceof ApiError && detail.error.status === 404 ? (
            <EmptyState title="No trigger event with this ID">
              It may have been dropped by the retention limit, or the link belongs to another project.
            </EmptyState>
          ) : (
            <ErrorState error={detail.error} what="the trigger event" onRetry={() => detail.refetch()} />
          )
        ) : (
          <>
            <dl className="summary-grid compact">
              <SummaryField label="Status">
                <StatusBadge view={triggerEventStatusView(detail.data.event.status)} />
              </SummaryField>
              <SummaryField label="Integration">
                <IntegrationName name={detail.data.event.integration} />
              </SummaryField>
              <SummaryField label="Time received" className="mono">
                {formatTimestamp(detail.data.event.receivedAt)}
              </SummaryField>
              <SummaryField label="Trigger" className="mono">
                {detail.data.event.triggerName ? <WrappableText text={detail.data.event.triggerName} /> : '—'}
              </SummaryField>
              <SummaryField label="Model">{detail.data.event.subscriptionModel ?? '—'}</SummaryField>
              <SummaryField label="Trace">
                <Link
                  className="mono"
                  to={routePath({ name: 'trace', traceId: detail.data.event.traceId, valid: true, tab: 'triggers' })}
                >
                  Waterfall ↗
                </Link>
              </SummaryField>
            </dl>
            <section className={styles.section} aria-labelledby="deliveries-title">
              <h3 id="deliveries-title">
                Deliveries <span className="count-pill">{detail.data.deliveries.length}</span>
              </h3>
              <Deliveries
                deliveries={detail.data.deliveries}
                logs={logs}
                triggerId={detail.data.event.triggerId}
                event={detail.data.event}
              />
            </section>
            <section className={styles.section} aria-labelledby="event-logs-title">
              <h3 id="event-logs-title">Event logs</h3>
              <LogList logs={logs} label="Event logs" variant="timeline" startUnixNano={logs[0]?.timeUnixNano} />
            </section>
          </>
        )}
      </div>
    </aside>
  );
}

function Deliveries({
  deliveries,
  logs,
  triggerId,
  event,
}: {
  deliveries: Delivery[];
  logs: LogEntry[];
  triggerId: string | null;
  event: TriggerEvent;
}) {
  if (deliveries.length === 0) {
    return (
      <p className="muted" data-testid="no-deliveries">
        {noDeliveriesText(event)}
      </p>
    );
  }
  if (deliveries.length === 1) {
    const d = deliveries[0]!;
    return (
      <div className={styles.single}>
        <dl className="kv">
          <dt>Status</dt>
          <dd>
            <StatusBadge view={deliveryStatusView(d.status)} />
          </dd>
          <dt>User</dt>
          <dd className="mono">{d.userId ?? '—'}</dd>
          <dt>Created</dt>
          <dd className="mono">{formatTimestamp(d.createdAt)}</dd>
          <dt>Trigger ID</dt>
          <dd className="mono">{d.triggerId ?? triggerId ?? '—'}</dd>
          <dt>Webhook URL</dt>
          <dd className="mono break">{d.webhookUrl ? <WrappableText text={d.webhookUrl} /> : '—'}</dd>
          <dt>Attempts</dt>
          <dd>{d.attempts}</dd>
          <dt>Last attempt</dt>
          <dd className="mono">
            {formatTimestamp(d.lastAttemptAt)} · {formatDuration(d.durationMs)}
          </dd>
        </dl>
        <Attempts deliveryId={d.deliveryId} logs={logs} />
      </div>
    );
  }
  return (
    <div className={styles.scroll}>
      <table className={styles.table} aria-label="Deliveries">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">User</th>
            <th scope="col">Timestamp</th>
            <th scope="col">Attempts</th>
            <th scope="col">HTTP</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <DeliveryRow key={d.deliveryId} delivery={d} logs={logs} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeliveryRow({ delivery: d, logs }: { delivery: Delivery; logs: LogEntry[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr data-status={d.status}>
        <td data-label="Status">
          <span className={styles.cellFlex}>
            <button
              type="button"
              className={styles.rowToggle}
              aria-expanded={open}
              onClick={() => setOpen(!open)}
              aria-label={`Attempts of the delivery to ${d.userId ?? 'unknown user'}`}
            >
              <span className="chevron" data-open={open} aria-hidden="true" />
            </button>
            <StatusBadge view={deliveryStatusView(d.status)} />
          </span>
        </td>
        <td className="mono" data-label="User">
          {d.userId ?? '—'}
        </td>
        <td className="mono" data-label="Timestamp">
          {formatTimestamp(d.createdAt)}
        </td>
        <td data-label="Attempts">{d.attempts}</td>
        <td data-label="HTTP" data-testid="delivery-http">
          {d.lastHttpStatus === null ? '—' : <Badge tone={httpStatusTone(d.lastHttpStatus)}>{d.lastHttpStatus}</Badge>}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <p className="mono small break">{d.webhookUrl && <WrappableText text={d.webhookUrl} />}</p>
            <Attempts deliveryId={d.deliveryId} logs={logs} />
          </td>
        </tr>
      )}
    </>
  );
}

function Attempts({ deliveryId, logs }: { deliveryId: string; logs: LogEntry[] }) {
  const attempts = deliveryAttempts(logs, deliveryId);
  if (attempts.length === 0) return null;
  return (
    <ol className={styles.attempts} aria-label="Delivery attempts">
      {attempts.map((a) => (
        <li key={`${a.attempt}-${a.timestamp}`} className={a.succeeded ? undefined : styles.failed}>
          <span className={styles.attemptNo}>Attempt {a.attempt}</span>
          <span className="mono">{formatTimestamp(a.timestamp)}</span>
          {a.httpStatus !== null ? (
            <Badge tone={httpStatusTone(a.httpStatus)}>{a.httpStatus}</Badge>
          ) : (
            <Badge tone="danger">no response</Badge>
          )}
          <span className="mono">{formatDuration(a.durationMs)}</span>
          {a.final && !a.succeeded && <span className="muted small">final, no retry</span>}
        </li>
      ))}
    </ol>
  );
}
