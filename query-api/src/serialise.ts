/**
 * The one place a stored record's times become the API's ISO 8601 text (DESIGN §6). The store and the
 * facts carry epoch ms (a log also the nanoseconds past it); every route, export and live feed answers
 * through these converters, so the JSON never depends on how a backend keeps its times.
 */
import type {
  Delivery,
  LogEntry,
  StoredDelivery,
  StoredLog,
  StoredToolCall,
  StoredTriggerEvent,
  ToolCall,
  TriggerEvent,
} from '@tooltrace/conventions';
import type { Page, TraceDetail, TriggerEventDetail } from '@tooltrace/store';

/** Epoch ms as ISO 8601 in UTC, millisecond precision. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

export function toolCallJson({ startedAtMs, ...call }: StoredToolCall): ToolCall {
  return { ...call, startedAt: isoTime(startedAtMs) };
}

export function triggerEventJson({ receivedAtMs, ...event }: StoredTriggerEvent): TriggerEvent {
  return { ...event, receivedAt: isoTime(receivedAtMs) };
}

export function deliveryJson({ createdAtMs, lastAttemptAtMs, ...delivery }: StoredDelivery): Delivery {
  return { ...delivery, createdAt: isoTime(createdAtMs), lastAttemptAt: isoTime(lastAttemptAtMs) };
}

/** The decimal nanoseconds of a log's time, exact: its milliseconds' digits and six more. */
export function unixNanoOf(timeMs: number, subMsNanos: number): string {
  return timeMs === 0 ? String(subMsNanos) : `${timeMs}${String(subMsNanos).padStart(6, '0')}`;
}

export function logJson({ timeMs, subMsNanos, ...log }: StoredLog): LogEntry {
  return { ...log, timestamp: isoTime(timeMs), timeUnixNano: unixNanoOf(timeMs, subMsNanos) };
}

export function pageJson<S, J>(page: Page<S>, toJson: (record: S) => J): Page<J> {
  return { items: page.items.map(toJson), nextCursor: page.nextCursor };
}

export function traceJson(trace: TraceDetail) {
  return {
    toolCalls: trace.toolCalls.map(toolCallJson),
    triggerEvents: trace.triggerEvents.map(triggerEventJson),
    logs: trace.logs.map(logJson),
  };
}

export function triggerEventDetailJson(detail: TriggerEventDetail) {
  return {
    event: triggerEventJson(detail.event),
    deliveries: detail.deliveries.map(deliveryJson),
    logs: detail.logs.map(logJson),
  };
}
