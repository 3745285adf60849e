/**
 * What a log's expanded view leads with: the HTTP exchange and the error, picked out of the
 * OpenTelemetry attributes so nobody has to hunt for `http.response.status_code` in a tree.
 */
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_DELIVERY_FINAL,
  ATTR_DELIVERY_ID,
  ATTR_ERROR_CODE,
  ATTR_ERROR_MESSAGE,
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  compareUnixNano,
  isHttpSuccess,
  type LogEntry,
  type TooltraceSpanKind,
} from '@tooltrace/conventions';

export interface LogMetadata {
  http: { method: string | null; url: string | null; status: number | null } | null;
  error: { type: string | null; code: string | null; message: string | null; stack: string | null } | null;
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

export function logMetadata(log: Pick<LogEntry, 'attributes' | 'level'>): LogMetadata {
  const a = log.attributes;
  const method = str(a[ATTR_HTTP_REQUEST_METHOD]);
  const url = str(a[ATTR_URL_FULL]) ?? str(a[ATTR_URL_PATH]);
  const status = num(a[ATTR_HTTP_RESPONSE_STATUS_CODE]);
  const http = method || url || status !== null ? { method, url, status } : null;
  const type = str(a[ATTR_EXCEPTION_TYPE]) ?? str(a[ATTR_ERROR_TYPE]);
  const code = str(a[ATTR_ERROR_CODE]);
  const message = str(a[ATTR_ERROR_MESSAGE]) ?? str(a[ATTR_EXCEPTION_MESSAGE]);
  const stack = str(a[ATTR_EXCEPTION_STACKTRACE]);
  const error = type || code || message || stack ? { type, code, message, stack } : null;
  return { http, error };
}

/** Human names for span kinds, for the tag beside each log line. */
export const KIND_LABELS: Record<TooltraceSpanKind, string> = {
  tool_call: 'Tool call',
  provider_request: 'Provider request',
  internal: 'Internal',
  trigger_event: 'Trigger event',
  trigger_poll: 'Poll',
  trigger_webhook_received: 'Webhook received',
  trigger_delivery: 'Delivery',
  trigger_subscription: 'Subscription',
  trigger_webhook_create: 'Webhook create',
};

export interface DeliveryAttempt {
  attempt: number;
  timestamp: string;
  durationMs: number | null;
  httpStatus: number | null;
  succeeded: boolean;
  final: boolean;
  spanId: string | null;
}

/** The attempts of one delivery, from its `trigger_delivery` spans, in attempt order. */
export function deliveryAttempts(logs: readonly LogEntry[], deliveryId: string): DeliveryAttempt[] {
  return logs
    .filter(
      (l) => l.source === 'span' && l.kind === 'trigger_delivery' && str(l.attributes[ATTR_DELIVERY_ID]) === deliveryId,
    )
    .sort((a, b) => compareUnixNano(a.timeUnixNano, b.timeUnixNano))
    .map((l, index): DeliveryAttempt => {
      const httpStatus = num(l.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]);
      return {
        attempt: num(l.attributes[ATTR_DELIVERY_ATTEMPT]) ?? index + 1,
        timestamp: l.timestamp,
        durationMs: l.durationMs,
        httpStatus,
        succeeded: l.level !== 'error' && isHttpSuccess(httpStatus),
        final: l.attributes[ATTR_DELIVERY_FINAL] === true || l.attributes[ATTR_DELIVERY_FINAL] === 'true',
        spanId: l.spanId,
      };
    })
    .sort((a, b) => a.attempt - b.attempt);
}

/** Logs in time order (the API already sorts; this keeps the UI right if a page arrives unsorted). */
export function sortLogs(logs: readonly LogEntry[]): LogEntry[] {
  return [...logs].sort((a, b) => compareUnixNano(a.timeUnixNano, b.timeUnixNano));
}

export interface ErrorDescription {
  /** The human sentence: the `message` inside an ActionKit-style JSON error, else the text itself. */
  headline: string;
  /** Flat `key: value` facts from the error's `details` (e.g. `ECODE: OAUTH_027`). */
  facts: { key: string; value: string }[];
}

/** ActionKit errors carry JSON in their message (`{"message":"…","details":{"err":"…","ECODE":"…"}}`). */
export function describeErrorMessage(text: string): ErrorDescription {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { headline: text, facts: [] };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { headline: text, facts: [] };
  const record = parsed as Record<string, unknown>;
  const headline = typeof record.message === 'string' ? record.message : text;
  const details =
    record.details && typeof record.details === 'object' ? (record.details as Record<string, unknown>) : {};
  const facts = Object.entries(details)
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .map(([key, value]) => ({ key, value: String(value) }));
  return { headline, facts };
}

/** The identifying facts of a log besides its trace ID, in reading order; facts the log lacks are left out. */
export function logContextFacts(log: LogEntry): { label: string; value: string }[] {
  const facts: [string, string | null][] = [
    ['Span ID', log.spanId],
    ['Parent span', log.parentSpanId],
    ['Time', log.timestamp],
    ['Name', log.name],
    ['Service', log.serviceName],
  ];
  return facts.flatMap(([label, value]) => (value ? [{ label, value }] : []));
}
