/**
 * Forwarding (DESIGN §9): the project's destinations with live status, and for
 * admin sessions the add/edit/delete form and "Send test". A read session sees
 * everything read-only and is told which key changes it.
 */
import { useQueryClient } from '@tanstack/react-query';
import type { DestinationTestResult, DestinationView } from '@tooltrace/conventions';
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { loadReadKey } from '../api/session.ts';
import { useApi } from '../app/api-context.tsx';
import { useDestinations } from '../app/queries.ts';
import { useDocumentTitle } from '../app/use-title.ts';
import { DestinationForm } from '../components/DestinationForm.tsx';
import { Badge } from '../components/StatusBadge.tsx';
import { EmptyState, ErrorState, SkeletonRows } from '../components/states.tsx';
import { roleOfSessionKey } from '../model/auth.ts';
import { FILTER_LABELS, formatBytes, formatLag, STATE_VIEW } from '../model/forwarding.ts';
import styles from './ForwardingPage.module.css';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function ForwardingPage() {
  useDocumentTitle('Forwarding');
  const destinations = useDestinations();
  const api = useApi();
  const queryClient = useQueryClient();
  const admin = roleOfSessionKey(loadReadKey() ?? '') === 'admin';
  const [editing, setEditing] = useState<DestinationView | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['forwarding'] });

  const save = async (body: Record<string, unknown>): Promise<string | null> => {
    try {
      if (editing === 'new') await api.createDestination(body);
      else if (editing) await api.updateDestination(editing.id, body);
      setEditing(null);
      await refresh();
      return null;
    } catch (error) {
      return error instanceof ApiError ? error.message : messageOf(error);
    }
  };

  return (
    <section className={styles.page} aria-labelledby="forwarding-title">
      <div className={styles.head}>
        <h2 id="forwarding-title" className={styles.name}>
          Forwarding
        </h2>
        {admin && editing === null && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            Add destination
          </button>
        )}
      </div>
      <p className={styles.intro}>
        Everything this project stores is also sent, as OTLP/HTTP, to each enabled destination: your own OpenTelemetry
        Collector, Datadog, Honeycomb, Grafana… Batches wait in an outbox until the destination takes them.
      </p>
      {!admin && (
        <p className={styles.readOnly}>
          You are signed in with the read key, so this page is read-only. Adding, changing, testing or deleting
          destinations needs the project’s admin key (tt_admin_…).
        </p>
      )}
      {editing !== null && (
        <DestinationForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          onSubmit={save}
          onCancel={() => setEditing(null)}
        />
      )}
      {destinations.isPending ? (
        <SkeletonRows rows={3} label="Loading destinations" />
      ) : destinations.isError ? (
        <ErrorState error={destinations.error} what="the destinations" onRetry={() => destinations.refetch()} />
      ) : destinations.data.items.length === 0 ? (
        <EmptyState title="No destinations yet">
          {admin ? 'Add one to send this project’s telemetry to your own backend.' : 'An admin can add one.'}
        </EmptyState>
      ) : (
        <ul className={styles.list} aria-label="Destinations">
          {destinations.data.items.map((d) => (
            <DestinationCard
              key={d.id}
              destination={d}
              admin={admin}
              onEdit={() => setEditing(d)}
              onChanged={refresh}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function DestinationCard({
  destination: d,
  admin,
  onEdit,
  onChanged,
}: {
  destination: DestinationView;
  admin: boolean;
  onEdit: () => void;
  onChanged: () => Promise<void>;
}) {
  const api = useApi();
  const [answer, setAnswer] = useState<DestinationTestResult | { error: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const state = STATE_VIEW[d.status.state];
  const s = d.status;

  const test = async () => {
    setTesting(true);
    try {
      setAnswer(await api.testDestination(d.id));
    } catch (error) {
      setAnswer({ error: messageOf(error) });
    } finally {
      setTesting(false);
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete ${d.name}? What is still queued for it is dropped.`)) return;
    await api.deleteDestination(d.id);
    await onChanged();
  };

  return (
    <li className={styles.card} aria-label={d.name} data-state={s.state}>
      <div className={styles.head}>
        <h3 className={styles.name}>{d.name}</h3>
        <Badge tone={state.tone} title={state.hint}>
          {state.label}
        </Badge>
        <span className={styles.endpoint}>{d.endpoint}</span>
      </div>
      <dl className={styles.figures}>
        <dt>Sends</dt>
        <dd>
          {FILTER_LABELS[d.filter]} · {d.encoding}
          {d.compression === 'gzip' ? ' + gzip' : ''}
        </dd>
        <dt>Headers</dt>
        <dd>{d.headerNames.length > 0 ? d.headerNames.join(', ') : 'none'}</dd>
        <dt>Spans / logs sent</dt>
        <dd>
          {s.spansSent} / {s.logsSent}
        </dd>
        <dt>Queued</dt>
        <dd>
          {s.batchesQueued} batches ({formatBytes(s.queueBytes)})
        </dd>
        <dt>Lag</dt>
        <dd>{formatLag(s.lagMs)}</dd>
        <dt>Retried / rejected / dropped</dt>
        <dd>
          {s.batchesRetried} / {s.batchesRejected} / {s.batchesDropped}
        </dd>
        <dt>Last success</dt>
        <dd>{s.lastSuccessAt ? new Date(s.lastSuccessAt).toLocaleString() : 'never'}</dd>
      </dl>
      {s.lastError && (
        <p className={styles.error} data-testid="last-error">
          Last error {new Date(s.lastError.at).toLocaleString()}
          {s.lastError.httpStatus !== null ? ` (HTTP ${s.lastError.httpStatus})` : ''}: {s.lastError.message}
        </p>
      )}
      {admin && (
        <div className={styles.actions}>
          <button type="button" className="button" onClick={test} disabled={testing}>
            {testing ? 'Sending…' : 'Send test'}
          </button>
          <button type="button" className="button ghost" onClick={onEdit}>
            Edit
          </button>
          <button type="button" className="button ghost" onClick={remove}>
            Delete
          </button>
        </div>
      )}
      {answer && (
        <p
          className={`${styles.answer} ${'error' in answer || !answer.ok ? styles.answerFailed : ''}`}
          role="status"
          aria-label="Test answer"
        >
          {'error' in answer
            ? answer.error
            : `${answer.ok ? 'Accepted' : 'Refused'}: ${answer.message} (${answer.durationMs} ms)`}
        </p>
      )}
    </li>
  );
}
