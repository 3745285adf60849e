/**
 * The Ingest panel (issue 18), reached from the quota meter: what arrived for the project over the
 * last 24 h or 7 d, accepted, rejected and throttled, by rejection kind (with the newest message of
 * each) and by sender (`service.name`), each sender with links to its newest traces that hold no tool
 * call or trigger event (what the empty Tools and Triggers tabs point here for). It says plainly that log records without a trace ID are
 * rejected, and how many were.
 */
import { useState } from 'react';
import { useIngest } from '../app/queries.ts';
import { Link } from '../app/router.tsx';
import { useDocumentTitle } from '../app/use-title.ts';
import { EmptyState, ErrorState, SkeletonRows } from '../components/states.tsx';
import { formatAgo, formatCount } from '../model/format.ts';
import {
  DOC_LINKS,
  type IngestWindowKey,
  logsWithoutTrace,
  rejectionRows,
  SENDING_TELEMETRY_DOC,
  sampleLabel,
  WINDOW_LABELS,
} from '../model/ingest.ts';
import { routePath } from '../model/routes.ts';
import styles from './IngestPage.module.css';

export function IngestPage() {
  useDocumentTitle('Ingest');
  const ingest = useIngest();
  const [key, setKey] = useState<IngestWindowKey>('last24h');

  const body = () => {
    if (ingest.isPending) return <SkeletonRows label="Loading the ingest status" />;
    if (ingest.isError) return <ErrorState error={ingest.error} what="the ingest status" onRetry={ingest.refetch} />;
    const data = ingest.data;
    const window = data[key];
    const { accepted, rejected, throttled } = window.totals;
    if (accepted + rejected + throttled === 0) {
      return (
        <EmptyState
          title={`Nothing arrived in the ${WINDOW_LABELS[key]}`}
          actions={
            <a className="button" href={SENDING_TELEMETRY_DOC} target="_blank" rel="noreferrer">
              How to send telemetry
            </a>
          }
        >
          Point an OpenTelemetry exporter at the collector with this project's ingest key.
        </EmptyState>
      );
    }
    const reasons = rejectionRows(data, key);
    return (
      <>
        <dl className={styles.totals} aria-label="Totals">
          <Total label="Accepted" value={accepted} />
          <Total label="Rejected" value={rejected} />
          <Total label="Throttled" value={throttled} />
        </dl>
        <section className={styles.section} aria-labelledby="ingest-reasons">
          <h3 id="ingest-reasons">Not stored, by reason</h3>
          {reasons.length === 0 ? (
            <p className="muted">Everything that arrived was stored.</p>
          ) : (
            <div className={styles.scroll}>
              <table className={styles.table} aria-label="Rejections by reason">
                <thead>
                  <tr>
                    <th scope="col">Reason</th>
                    <th scope="col" className={styles.num}>
                      Items
                    </th>
                    <th scope="col">Last message</th>
                  </tr>
                </thead>
                <tbody>
                  {reasons.map((r) => (
                    <tr key={r.reason} data-reason={r.reason}>
                      <td>
                        {r.label}
                        <div className={styles.kind}>{r.reason}</div>
                      </td>
                      <td className={styles.num}>{formatCount(r.count)}</td>
                      <td>
                        {r.lastMessage ? <code className={styles.message}>{r.lastMessage}</code> : '—'}
                        {r.lastAt && (
                          <div className={styles.kind} title={r.lastAt}>
                            {formatAgo(r.lastAt, Date.now())}
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className={styles.section} aria-labelledby="ingest-senders">
          <h3 id="ingest-senders">By sender</h3>
          <div className={styles.scroll}>
            <table className={`${styles.table} ${styles.senders}`} aria-label="Items by sender">
              <thead>
                <tr>
                  <th scope="col">Sender (service.name)</th>
                  <th scope="col" className={styles.num}>
                    Accepted
                  </th>
                  <th scope="col" className={styles.num}>
                    Rejected
                  </th>
                  <th scope="col" className={styles.num}>
                    Throttled
                  </th>
                  <th scope="col" className={styles.sampleColumn}>
                    Sample traces
                  </th>
                </tr>
              </thead>
              <tbody>
                {window.bySender.map((s) => (
                  <tr key={s.serviceName} data-sender={s.serviceName}>
                    <td className="mono">{s.serviceName}</td>
                    <td className={styles.num}>{formatCount(s.accepted)}</td>
                    <td className={styles.num}>{formatCount(s.rejected)}</td>
                    <td className={styles.num}>{formatCount(s.throttled)}</td>
                    <td className={styles.sampleColumn}>
                      {s.sampleTraces.length === 0 ? (
                        '—'
                      ) : (
                        <ul className={styles.samples}>
                          {s.sampleTraces.map((t) => (
                            <li key={t.traceId}>
                              <Link
                                to={routePath({ name: 'trace', traceId: t.traceId, valid: true })}
                                data-trace-id={t.traceId}
                                title={`Trace ${t.traceId}, arrived ${t.at}`}
                              >
                                {sampleLabel(t)}
                              </Link>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </>
    );
  };

  const withoutTrace = ingest.data ? logsWithoutTrace(ingest.data, key) : 0;
  return (
    <section className={styles.page} aria-labelledby="ingest-title">
      <div className={styles.head}>
        <h2 id="ingest-title" className={styles.title}>
          Ingest
        </h2>
        <div className="segmented" role="radiogroup" aria-label="Window">
          {(['last24h', 'last7d'] as const).map((k) => (
            <button key={k} type="button" role="radio" aria-checked={k === key} onClick={() => setKey(k)}>
              {k === 'last24h' ? '24 h' : '7 d'}
            </button>
          ))}
        </div>
      </div>
      <p className={styles.intro}>
        Spans and log records that reached the collector for this project in the {WINDOW_LABELS[key]}, and what became
        of them. A request refused before its body was read counts once, under "(refused before decoding)". A sender's
        sample traces are its newest traces in which none of its spans is a tool call or trigger event.
      </p>
      <p className={styles.note} data-testid="logs-without-trace">
        <strong>Log records without a trace ID are rejected</strong> (<code>log_without_trace</code>): tooltrace keeps
        logs per trace. {formatCount(withoutTrace)} {withoutTrace === 1 ? 'was' : 'were'} rejected in the{' '}
        {WINDOW_LABELS[key]}; send logs inside a span (
        <a href={DOC_LINKS.logs} target="_blank" rel="noreferrer">
          how
        </a>
        ).
      </p>
      {body()}
      <p className="muted">
        <Link to="/tools">Back to Tools</Link>
      </p>
    </section>
  );
}

function Total({ label, value }: { label: string; value: number }) {
  return (
    <div className={styles.total}>
      <dt>{label}</dt>
      <dd>{formatCount(value)}</dd>
    </div>
  );
}
