/**
 * Normalised resource logs → LogFacts. Pure. A log record belongs to a trace
 * (tooltrace keeps logs per trace), so a record without a valid trace ID is
 * rejected and reported in `partial_success`. Records with `exception.*`
 * attributes are errors whatever their severity (the newer exception
 * convention). IDs hash the record's content, so a re-send upserts.
 */
import { createHash } from 'node:crypto';
import {
  ATTR_HTTP_RESPONSE_BODY,
  ATTR_KIND,
  ATTR_SERVICE_NAME,
  isTooltraceSpanKind,
  isValidSpanId,
  isValidTraceId,
  type LogFact,
} from '@tooltrace/conventions';
import type { LogsRequest, OtlpAttributes, OtlpLogRecord } from '../otlp/types.ts';
import { attrString, droppedAttributesWarning, storedAttributes, truncateText, valueText } from './attributes.ts';
import { droppedAttributes, withDroppedCounts } from './dropped.ts';
import { admitItems } from './item-admission.ts';
import { recordLevel } from './levels.ts';
import { logRecordMessage } from './messages.ts';
import type { MappingOptions, MappingRejections } from './options.ts';
import { firstKnownTime, msToNanos, nanosToMs, subMsNanos } from './time.ts';
import { type TimeWindow, timeWindow } from './time-window.ts';

export interface LogsMapping extends MappingRejections {
  logs: LogFact[];
}

const ALL_ZERO = /^0*$/;

function invalidIds(record: OtlpLogRecord): string | null {
  if (!isValidTraceId(record.traceId)) {
    return record.traceId === '' || ALL_ZERO.test(record.traceId)
      ? `${record.ref}.traceId: missing; tooltrace stores log records that belong to a trace`
      : `${record.ref}.traceId: invalid trace ID ${JSON.stringify(record.traceId.slice(0, 64))} (expected 16 bytes, in OTLP/JSON 32 hex characters)`;
  }
  if (!ALL_ZERO.test(record.spanId) && !isValidSpanId(record.spanId)) {
    return `${record.ref}.spanId: invalid span ID ${JSON.stringify(record.spanId.slice(0, 64))} (expected empty or 8 bytes)`;
  }
  return null;
}

/** Why a record's time puts it outside what is stored, or null. A record without times takes the receive time. */
function outsideWindow(record: OtlpLogRecord, window: TimeWindow): string | null {
  if (record.timeUnixNano !== '0') return window.check(`${record.ref}.timeUnixNano`, record.timeUnixNano);
  if (record.observedTimeUnixNano !== '0') {
    return window.check(`${record.ref}.observedTimeUnixNano`, record.observedTimeUnixNano);
  }
  return null;
}

/** Stable across re-sends of the same record, different for records that differ in anything. */
function contentId(record: OtlpLogRecord, serviceName: string | null): string {
  const content = JSON.stringify([
    serviceName,
    record.traceId,
    record.spanId,
    record.timeUnixNano,
    record.observedTimeUnixNano,
    record.severityNumber,
    record.severityText,
    record.eventName,
    record.body,
    record.attributes,
  ]);
  return `log:${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}

function mapRecord(
  record: OtlpLogRecord,
  resource: OtlpAttributes,
  options: MappingOptions,
  receivedAtNanos: string,
): LogFact {
  const serviceName = attrString(resource, ATTR_SERVICE_NAME);
  const level = recordLevel(record);
  const time = firstKnownTime(receivedAtNanos, record.timeUnixNano, record.observedTimeUnixNano);
  const kind = record.attributes[ATTR_KIND];
  // Stored alongside the record's own attributes, replacing same-named ones in place.
  const extra: OtlpAttributes = {};
  if (record.eventName) extra['event.name'] = record.eventName;
  if (record.severityText) extra['log.severity_text'] = record.severityText;
  withDroppedCounts(extra, { attributes: droppedAttributes(record) });
  const body =
    level === 'error' ? (valueText(record.attributes[ATTR_HTTP_RESPONSE_BODY]) ?? valueText(record.body)) : null;
  return {
    id: contentId(record, serviceName),
    traceId: record.traceId,
    spanId: ALL_ZERO.test(record.spanId) ? null : record.spanId,
    parentSpanId: null,
    source: 'log_record',
    timeMs: nanosToMs(time),
    subMsNanos: subMsNanos(time),
    level,
    kind: isTooltraceSpanKind(kind) ? kind : null,
    name: null,
    message: logRecordMessage(record.body, record.attributes, record.eventName, record.severityText),
    attributes: storedAttributes(record.attributes, ATTR_HTTP_RESPONSE_BODY, options.maxAttributeValueLength, extra),
    durationMs: null,
    body: body === null ? null : truncateText(body, options.maxBodyLength),
    serviceName,
  };
}

export function mapLogsRequest(request: LogsRequest, options: MappingOptions): LogsMapping {
  const receivedAtNanos = msToNanos(options.receivedAtMs);
  const window = timeWindow(options);
  const logs: LogFact[] = [];
  const admitted = admitItems<OtlpLogRecord>(
    { signal: 'logs', request },
    (record) => invalidIds(record) ?? outsideWindow(record, window),
    (record, resource, warnings) => {
      const dropped = droppedAttributesWarning(record.ref, record);
      if (dropped) warnings.push(dropped);
      logs.push(mapRecord(record, resource, options, receivedAtNanos));
    },
  );
  return { logs, ...admitted };
}
