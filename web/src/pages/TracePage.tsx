/** The Log Trace view: request summary, span waterfall, and the trace's logs in time order. */
import {
  type ToolCall,
  TRACE_ID_FORMAT_HINT,
  type TraceWarning,
  type TriggerEvent,
  toRequestId,
} from '@tooltrace/conventions';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useTrace } from '../app/queries.ts';
import { Link, useRouter, withQuery } from '../app/router.tsx';
import { useShortcuts } from '../app/shortcuts.tsx';
import { useDocumentTitle } from '../app/use-title.ts';
import { CompareWithLastSuccess } from '../components/CompareWithLastSuccess.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { IntegrationName } from '../components/IntegrationName.tsx';
import { SummaryField } from '../components/KeyValue.tsx';
import { LinkedTraces } from '../components/LinkedTraces.tsx';
import { LogList } from '../components/LogList.tsx';
import { LogPane } from '../components/LogPane.tsx';
import { RootCause } from '../components/RootCause.tsx';
import { Badge, StatusBadge } from '../components/StatusBadge.tsx';
import { EmptyState, ErrorState, Skeleton, SkeletonRows } from '../components/states.tsx';
import { Waterfall } from '../components/Waterfall.tsx';
import { formatDuration, formatTimestamp, toolCallTypeLabel } from '../model/format.ts';
import { describeErrorMessage, sortLogs } from '../model/log-metadata.ts';
import { type RootCause as Cause, requestLabels, rootCause } from '../model/root-cause.ts';
import { routePath } from '../model/routes.ts';
import { httpStatusTone, toolCallStatusView, triggerEventStatusView } from '../model/status.ts';
import styles from './TracePage.module.css';

export function TracePage({ traceId, valid }: { traceId: string; valid: boolean }) {
  const { params, navigate } = useRouter();
  const trace = useTrace(traceId, valid);
  // A trigger event's trace (opened from its panel) leads back to that event, a tool call's to the table.
  const triggerEvent = trace.data?.toolCalls.length === 0 ? trace.data.triggerEvents[0] : undefined;
  const listParams = withoutParam(params, 'span');
  const back = triggerEvent?.eventId
    ? withQuery(routePath({ name: 'event', eventId: triggerEvent.eventId }), listParams)
    : withQuery('/tools', listParams);
  const spanParam = params.get('span');
  const [focusSpan, setFocusSpan] = useState<string | null>(null);
  const title = trace.data?.toolCalls[0]?.toolName ?? trace.data?.triggerEvents[0]?.triggerName ?? null;
  useDocumentTitle(title ? `Log trace · ${title}` : 'Log trace');
  useShortcuts({ close: () => navigate(back) });

  const logs = useMemo(() => sortLogs(trace.data?.logs ?? []), [trace.data]);
  const spanLabels = useMemo(() => requestLabels(logs), [logs]);
  const spanMessages = useMemo(
    () => new Map(logs.flatMap((l) => (l.source === 'span' && l.spanId ? [[l.spanId, l.message] as const] : []))),
    [logs],
  );

  const crumbs = (
    <nav className={styles.breadcrumbs} aria-label="Breadcrumb">
      <Link to={back}>{triggerEvent?.eventId ? '← Trigger event' : '← Tool calls'}</Link>
      <span aria-hidden="true">/</span>
      <span aria-current="page">Log trace</span>
    </nav>
  );

  if (!valid) {
    return (
      <section className="tab-page" aria-label="Log trace">
        {crumbs}
        <EmptyState title="That is not a trace ID">
          <p>
            <code>{traceId}</code>: {TRACE_ID_FORMAT_HINT}.
          </p>
        </EmptyState>
      </section>
    );
  }

  if (trace.isPending) {
    return (
      <section className="tab-page" aria-label="Log trace" aria-busy="true">
        {crumbs}
        <div className="panel summary">
          <Skeleton width="40%" height={22} />
          <div className="summary-grid">
            {Array.from({ length: 6 }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders
              <Skeleton key={i} width="70%" />
            ))}
          </div>
        </div>
        <div className="panel">
          <SkeletonRows rows={5} label="Loading trace" />
        </div>
      </section>
    );
  }

  if (trace.isError) {
    const notFound = trace.error instanceof ApiError && trace.error.status === 404;
    return (
      <section className="tab-page" aria-label="Log trace">
        {crumbs}
        {notFound ? (
          <EmptyState
            title="No trace with this ID in this project"
            actions={
              <button type="button" className="button" onClick={() => trace.refetch()}>
                Check again
              </button>
            }
          >
            <p>
              <code className="mono">{toRequestId(traceId)}</code>
            </p>
            <p>
              It may still be on its way (spans can arrive minutes apart), it may belong to another project, or it was
              dropped when the plan’s retention limit was reached.
            </p>
          </EmptyState>
        ) : (
          <ErrorState error={trace.error} what="the trace" onRetry={() => trace.refetch()} />
        )}
      </section>
    );
  }

  const { toolCalls, triggerEvents, spans, warnings } = trace.data;
  // The call the URL names (a row of the list, a shared link); the first when it names none.
  const call = toolCalls.find((c) => c.spanId === spanParam) ?? toolCalls[0];
  const selectCall = (spanId: string) => {
    const next = new URLSearchParams(params);
    next.set('span', spanId);
    navigate(withQuery(routePath({ name: 'trace', traceId, valid: true }), next), { replace: true });
  };
  const startUnixNano = logs[0]?.timeUnixNano;

  return (
    <section className="tab-page" aria-label="Log trace">
      {crumbs}
      {toolCalls.length > 1 && (
        <div className={`segmented ${styles.callSwitch}`} role="tablist" aria-label="Tool calls in this trace">
          {toolCalls.map((c) => (
            <button
              key={c.spanId}
              type="button"
              role="tab"
              aria-selected={c === call}
              onClick={() => selectCall(c.spanId)}
            >
              {c.toolName ?? c.type}
            </button>
          ))}
        </div>
      )}
      {call ? (
        <ToolCallSummary
          call={call}
          cause={call.status === 'error' ? rootCause(logs, call.spanId) : null}
          onJump={setFocusSpan}
        />
      ) : triggerEvents[0] ? (
        <TriggerSummary event={triggerEvents[0]} traceId={traceId} />
      ) : (
        <div className="panel summary">
          <h1 className={styles.summaryTitle} data-testid="summary-title">
            Trace {traceId}
          </h1>
          <p className="muted">
            This trace is not a tool call or a trigger event: none of its spans is marked as one (
            <code>tooltrace.kind</code>, an MCP <code>tools/call</code> or a <code>gen_ai</code>{' '}
            <code>execute_tool</code> span). Its spans and logs are below.
          </p>
        </div>
      )}

      <div className="panel">
        <h2 className="panel-title">Waterfall</h2>
        <TraceWarnings warnings={warnings} />
        <Waterfall
          spans={spans}
          warnings={warnings}
          messages={spanMessages}
          labels={spanLabels}
          selected={focusSpan}
          onSelect={setFocusSpan}
        />
      </div>

      <LinkedTraces logs={logs} />

      <div className="panel">
        <h2 className="panel-title">Logs</h2>
        <LogPane>
          <LogList
            logs={logs}
            label="Logs of this trace"
            focusSpanId={focusSpan}
            focusLogId={focusSpan ? null : params.get('log')}
            linkTo={(log) => logLink(params, traceId, log.id)}
            startUnixNano={startUnixNano}
          />
        </LogPane>
      </div>
    </section>
  );
}

/** Data of the trace that looks wrong (kept as sent): a badge with the count, each named on hover and below. */
function TraceWarnings({ warnings }: { warnings: readonly TraceWarning[] }) {
  if (warnings.length === 0) return null;
  const label = `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
  return (
    <details data-testid="trace-warnings">
      <summary>
        <Badge tone="warning" title={warnings.map((w) => w.message).join('\n')}>
          ⚠ {label}
        </Badge>
      </summary>
      <ul>
        {warnings.map((w, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a span may carry the same warning code twice
          <li key={i}>{w.message}</li>
        ))}
      </ul>
    </details>
  );
}

function ToolCallSummary({
  call,
  cause,
  onJump,
}: {
  call: ToolCall;
  cause: Cause | null;
  onJump: (spanId: string) => void;
}) {
  const status = toolCallStatusView(call.status);
  // Screen readers land on what opened, not on the page top.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return (
    <div className={`panel summary status-${call.status}`}>
      <div className={styles.summaryHead}>
        <h1 ref={heading} tabIndex={-1} className={`${styles.summaryTitle} mono`} data-testid="summary-title">
          {call.toolName ?? (call.type === 'list_tools' ? 'list_tools' : 'Tool call')}
        </h1>
        <StatusBadge view={status} />
      </div>
      <dl className="summary-grid">
        <SummaryField label="Request ID" className="mono request-id">
          <span data-testid="request-id">{call.requestId}</span>
          <CopyButton value={call.requestId} label="Copy request ID" />
        </SummaryField>
        <SummaryField label="Integration">
          <IntegrationName name={call.integration} />
        </SummaryField>
        <SummaryField label="User" className="mono">
          {call.userId ?? '—'}
        </SummaryField>
        <SummaryField label="Type">{toolCallTypeLabel(call.type)}</SummaryField>
        <SummaryField label="Started" className="mono" title={call.startedAt}>
          {formatTimestamp(call.startedAt)}
        </SummaryField>
        <SummaryField label="Duration" className="mono">
          {formatDuration(call.durationMs)}
        </SummaryField>
        <SummaryField label="HTTP status">
          {call.httpStatus === null ? '—' : <Badge tone={httpStatusTone(call.httpStatus)}>{call.httpStatus}</Badge>}
        </SummaryField>
        {call.toolCallId !== null && (
          // The agent's own ID of the call: what its logs and the model's transcript name it by.
          <SummaryField label="Tool call ID" className="mono">
            <Link
              data-testid="tool-call-id"
              to={withQuery('/tools', new URLSearchParams({ toolCallId: call.toolCallId }))}
              title="All calls with this tool call ID"
            >
              {call.toolCallId}
            </Link>
          </SummaryField>
        )}
      </dl>
      {(call.errorCode || call.errorMessage) && <ErrorCallout code={call.errorCode} message={call.errorMessage} />}
      {call.status === 'error' && <RootCause cause={cause} category={call.errorCategory} onJump={onJump} />}
      {call.status === 'error' && (
        <CompareWithLastSuccess key={call.spanId} traceId={call.traceId} spanId={call.spanId} />
      )}
      {call.parameters && (
        <details className={styles.parameters}>
          <summary>Parameters</summary>
          <pre className="code-block">{prettyJson(call.parameters)}</pre>
        </details>
      )}
    </div>
  );
}

function ErrorCallout({ code, message }: { code: string | null; message: string | null }) {
  const { headline, facts } = describeErrorMessage(message ?? 'The call failed.');
  return (
    <div className={styles.errorCallout} role="note" aria-label="Error">
      {code && (
        <span className="error-code-pill" title="Error code">
          {code}
        </span>
      )}
      <span className={styles.errorHeadline}>{headline}</span>
      {facts.map((f) => (
        <span key={f.key} className={styles.errorFact}>
          <span className="muted">{f.key}</span> <span className="mono">{f.value}</span>
        </span>
      ))}
    </div>
  );
}

function TriggerSummary({ event, traceId }: { event: TriggerEvent; traceId: string }) {
  return (
    <div className="panel summary">
      <div className={styles.summaryHead}>
        <h1 className={`${styles.summaryTitle} mono`} data-testid="summary-title">
          {event.triggerName ?? 'Trigger event'}
        </h1>
        <StatusBadge view={triggerEventStatusView(event.status)} />
      </div>
      <dl className="summary-grid">
        <SummaryField label="Trace ID" className="mono request-id">
          {traceId} <CopyButton value={traceId} label="Copy trace ID" />
        </SummaryField>
        <SummaryField label="Integration">
          <IntegrationName name={event.integration} />
        </SummaryField>
        <SummaryField label="Received" className="mono">
          {formatTimestamp(event.receivedAt)}
        </SummaryField>
      </dl>
      {event.eventId && (
        <Link className={`button ${styles.summaryAction}`} to={routePath({ name: 'event', eventId: event.eventId })}>
          Open in Triggers
        </Link>
      )}
    </div>
  );
}

/** The address of one log line of this trace (the call it belongs to stays selected). */
function logLink(params: URLSearchParams, traceId: string, logId: string): string {
  const next = new URLSearchParams(params);
  next.set('log', logId);
  return `${window.location.origin}${withQuery(routePath({ name: 'trace', traceId, valid: true }), next)}`;
}

function withoutParam(params: URLSearchParams, name: string): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete(name);
  return next;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
