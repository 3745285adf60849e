/** Logs in time order, each expandable to its metadata; error logs show the response body. */
import type { LogEntry } from '@tooltrace/conventions';
import { type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { prettyBody } from '../model/attribute-tree.ts';
import { formatDuration, formatTimestamp } from '../model/format.ts';
import { KIND_LABELS, logContextFacts, logMetadata } from '../model/log-metadata.ts';
import { httpStatusTone, logLevelView } from '../model/status.ts';
import { AttributeTree } from './AttributeTree.tsx';
import { CopyButton } from './CopyButton.tsx';
import { KeyValue } from './KeyValue.tsx';
import styles from './LogList.module.css';
import { scrollLogToTop } from './LogPane.tsx';
import { Badge } from './StatusBadge.tsx';
import { WrappableText } from './WrappableText.tsx';

export function LogList({
  logs,
  label,
  variant = 'list',
  focusSpanId,
  focusLogId,
  linkTo,
  startUnixNano,
}: {
  logs: LogEntry[];
  label: string;
  variant?: 'list' | 'timeline';
  /** A span picked in the waterfall: its log opens and scrolls into view. */
  focusSpanId?: string | null;
  /** One log named by the URL (`?log=`): it opens and scrolls into view. */
  focusLogId?: string | null;
  /** A link to one log line, offered in its details. */
  linkTo?: (log: LogEntry) => string;
  startUnixNano?: string;
}) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const [scrollTarget, setScrollTarget] = useState<string | null>(null);
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  useEffect(() => {
    const target = focusLogId
      ? logs.find((l) => l.id === focusLogId)
      : focusSpanId
        ? logs.find((l) => l.spanId === focusSpanId && l.source === 'span')
        : undefined;
    if (!target) return;
    setOpen((current) => new Set(current).add(target.id));
    setScrollTarget(target.id);
  }, [focusSpanId, focusLogId, logs]);

  // Once the jumped-to log has rendered open, so its height is known before the scroll is measured.
  useLayoutEffect(() => {
    if (!scrollTarget || !open.has(scrollTarget)) return;
    const item = document.getElementById(`log-${scrollTarget}`);
    if (item) scrollLogToTop(item);
    setScrollTarget(null);
  }, [scrollTarget, open]);

  if (logs.length === 0) return <p className="muted">No logs have arrived for this trace yet.</p>;
  const allOpen = open.size === logs.length;
  return (
    <div className={styles.logList} data-variant={variant}>
      <div className={styles.logListToolbar}>
        <span className="muted">
          {logs.length} {logs.length === 1 ? 'log' : 'logs'}, oldest first
        </span>
        <button
          type="button"
          className="link-button"
          onClick={() => setOpen(allOpen ? new Set() : new Set(logs.map((l) => l.id)))}
        >
          {allOpen ? 'Collapse all' : 'Expand all'}
        </button>
      </div>
      <ol aria-label={label}>
        {logs.map((log) => (
          <LogItem
            key={log.id}
            log={log}
            open={open.has(log.id)}
            onToggle={() => toggle(log.id)}
            startUnixNano={startUnixNano}
            focused={focusLogId ? focusLogId === log.id : focusSpanId === log.spanId && log.source === 'span'}
            link={linkTo?.(log)}
          />
        ))}
      </ol>
    </div>
  );
}

function relativeMs(log: LogEntry, startUnixNano: string | undefined): number | null {
  if (!startUnixNano) return null;
  try {
    return Number(BigInt(log.timeUnixNano) - BigInt(startUnixNano)) / 1_000_000;
  } catch {
    return null;
  }
}

function LogItem({
  log,
  open,
  onToggle,
  startUnixNano,
  focused,
  link,
}: {
  log: LogEntry;
  open: boolean;
  onToggle: () => void;
  startUnixNano: string | undefined;
  focused: boolean;
  link?: string;
}) {
  const level = logLevelView(log.level);
  const rel = relativeMs(log, startUnixNano);
  const panelId = `log-panel-${log.id}`;
  const ref = useRef<HTMLLIElement>(null);
  return (
    <li
      id={`log-${log.id}`}
      ref={ref}
      className={styles.logItem}
      data-focused={focused || undefined}
      data-level={log.level}
    >
      <button
        type="button"
        className={styles.logSummary}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={onToggle}
      >
        <span className="chevron" data-open={open} aria-hidden="true" />
        <span className={styles.logTime} title={log.timestamp}>
          {rel !== null ? `+${formatDuration(Math.max(0, rel))}` : formatTimestamp(log.timestamp)}
        </span>
        <span className={`${styles.levelTag} tone-${level.tone}`}>{level.label}</span>
        {log.kind && <span className="kind-tag">{KIND_LABELS[log.kind]}</span>}
        {log.source !== 'span' && (
          <span className="kind-tag subtle">{log.source === 'span_event' ? 'event' : 'log'}</span>
        )}
        <span className={styles.logMessage}>{log.message}</span>
        {log.durationMs !== null && <span className={styles.logDuration}>{formatDuration(log.durationMs)}</span>}
      </button>
      {open && (
        <section id={panelId} className={styles.logDetails} aria-label={`Details of ${log.message}`}>
          {link && (
            <p className={styles.logLink}>
              <span className="muted">Link to this log</span> <CopyButton value={link} label="Copy link to this log" />
            </p>
          )}
          <LogDetails log={log} />
        </section>
      )}
    </li>
  );
}

function LogDetails({ log }: { log: LogEntry }) {
  const meta = logMetadata(log);
  return (
    <div className={styles.logDetailsGrid}>
      {meta.http && (
        <DetailBlock title="HTTP">
          <dl className="kv">
            <KeyValue label="Method" className="mono">
              {meta.http.method}
            </KeyValue>
            <KeyValue label="URL" className="mono break">
              {meta.http.url && <WrappableText text={meta.http.url} />}
            </KeyValue>
            <KeyValue label="Status">
              {meta.http.status !== null && <Badge tone={httpStatusTone(meta.http.status)}>{meta.http.status}</Badge>}
            </KeyValue>
          </dl>
        </DetailBlock>
      )}
      {meta.error && (
        <DetailBlock title="Error" className={styles.errorBlock}>
          <dl className="kv">
            <KeyValue label="Type" className="mono">
              {meta.error.type}
            </KeyValue>
            <KeyValue label="Code" className="mono">
              {meta.error.code}
            </KeyValue>
            <KeyValue label="Message">{meta.error.message}</KeyValue>
          </dl>
          {meta.error.stack && <pre className="code-block small">{meta.error.stack}</pre>}
        </DetailBlock>
      )}
      {log.body !== null && (
        <DetailBlock
          title={
            <>
              Response body <CopyButton value={log.body} label="Copy response body" />
            </>
          }
          className={styles.wide}
        >
          <pre className="code-block" data-testid="response-body">
            {prettyBody(log.body)}
          </pre>
        </DetailBlock>
      )}
      <DetailBlock title="Attributes" className={styles.wide}>
        <AttributeTree attributes={log.attributes} label={`Attributes of ${log.message}`} />
      </DetailBlock>
      <DetailBlock title="Context" className={styles.wide}>
        <dl className={`kv ${styles.kvInline}`}>
          <KeyValue label="Trace ID" className="mono">
            {log.traceId} <CopyButton value={log.traceId} label="Copy trace ID" />
          </KeyValue>
          {logContextFacts(log).map((fact) => (
            <KeyValue key={fact.label} label={fact.label} className="mono">
              {fact.value}
            </KeyValue>
          ))}
        </dl>
      </DetailBlock>
      <details className={`${styles.detailBlock} ${styles.wide} ${styles.rawJson}`}>
        <summary>Full log entry (JSON)</summary>
        <CopyButton value={JSON.stringify(log, null, 2)} label="Copy the log entry as JSON" />
        <pre className="code-block small">{JSON.stringify(log, null, 2)}</pre>
      </details>
    </div>
  );
}

/** A titled block of the expanded log; `wide` blocks take the whole row. */
function DetailBlock({ title, className, children }: { title: ReactNode; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `${styles.detailBlock} ${className}` : styles.detailBlock}>
      <h4>{title}</h4>
      {children}
    </div>
  );
}
