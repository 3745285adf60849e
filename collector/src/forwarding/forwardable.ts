/**
 * What a destination gets of an accepted request: the request as stored (the
 * decode stage already cut it to that, ../mapping/stored-request.ts), cut down
 * to the destination's filter. Resources and scopes are kept; groups left
 * empty by the filter are dropped.
 */
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_KIND, type ForwardFilter } from '@tooltrace/conventions';
import { attrInt, attrString } from '../mapping/attributes.ts';
import { isErrorSpan, recordLevel } from '../mapping/levels.ts';
import { GROUP_LISTS, rebuildGroups } from '../otlp/request-groups.ts';
import type {
  LogsRequest,
  OtlpAttributes,
  OtlpLogRecord,
  OtlpRequest,
  OtlpScope,
  OtlpSpan,
  TracesRequest,
} from '../otlp/types.ts';

function spanIsError(span: OtlpSpan): boolean {
  const attrs = span.attributes;
  return isErrorSpan(
    span.status.code,
    attrInt(attrs, ATTR_HTTP_RESPONSE_STATUS_CODE),
    attrString(attrs, ATTR_ERROR_TYPE),
  );
}

function recordIsError(record: OtlpLogRecord): boolean {
  return recordLevel(record) === 'error';
}

/** Trigger pipelines are told apart by their `trigger_*` kinds and `tooltrace.trigger.*` attributes. */
function isTriggerish(attrs: OtlpAttributes): boolean {
  const kind = attrs[ATTR_KIND];
  if (typeof kind === 'string' && kind.startsWith('trigger_')) return true;
  for (const key in attrs) if (key.startsWith('tooltrace.trigger.')) return true;
  return false;
}

/**
 * Trace IDs of a traces request that belong to trigger pipelines: any span of
 * the trace in the request is trigger-like (a child alone can say so by its
 * attributes when its root came in another request).
 */
function triggerTraces(request: OtlpRequest & { signal: 'traces' }): Set<string> {
  const ids = new Set<string>();
  for (const rs of request.request.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) if (isTriggerish(span.attributes)) ids.add(span.traceId);
  return ids;
}

export interface Forwardable {
  request: OtlpRequest;
  /** Spans or log records it holds. */
  items: number;
}

export function forwardable(request: OtlpRequest, filter: ForwardFilter): Forwardable {
  let items = 0;
  const counted = <T>(item: T): T => {
    items += 1;
    return item;
  };
  const rebuild = { resource: (r: OtlpAttributes) => r, scope: (s: OtlpScope) => s, dropEmpty: true };
  if (request.signal === 'traces') {
    const triggers = filter === 'tool_calls' || filter === 'trigger_events' ? triggerTraces(request) : null;
    const keep = (span: OtlpSpan): boolean => {
      if (filter === 'errors_only') return spanIsError(span);
      if (!triggers) return true;
      return triggers.has(span.traceId) === (filter === 'trigger_events');
    };
    const item = (span: OtlpSpan) => (keep(span) ? counted(span) : null);
    const kept = rebuildGroups(request.request, GROUP_LISTS.traces, { ...rebuild, item }) as TracesRequest;
    return { request: { signal: 'traces', request: kept }, items };
  }
  const keep = (record: OtlpLogRecord): boolean => {
    if (filter === 'errors_only') return recordIsError(record);
    if (filter === 'all') return true;
    return isTriggerish(record.attributes) === (filter === 'trigger_events');
  };
  const item = (record: OtlpLogRecord) => (keep(record) ? counted(record) : null);
  const kept = rebuildGroups(request.request, GROUP_LISTS.logs, { ...rebuild, item }) as LogsRequest;
  return { request: { signal: 'logs', request: kept }, items };
}
