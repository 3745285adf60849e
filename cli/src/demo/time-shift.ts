/**
 * Demo only, never part of the SDK: moves the demo's traffic back in time so
 * a fresh `tooltrace start` shows a day of history instead of one minute.
 *
 * The demo really runs in about a minute. Before each step the driver says how
 * far back that step happened; every trace started from then on is bound to
 * that offset, and the exporters subtract it from the span, event and log
 * times on their way to the collector. Binding per trace (not per moment)
 * keeps one trace coherent: the delivery retries the queue makes at the end
 * of the run land right after their own event, not at "now".
 *
 * Offsets are whole seconds, so shifting an HrTime never touches nanoseconds.
 */
import type { HrTime } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

export type ExportFailure = (error: Error, signal: 'traces' | 'logs') => void;

export class TimeShift {
  private currentSeconds = 0;
  private readonly traceOffsets = new Map<string, number>();
  /** Logs outside any trace keep the offset of the step that emitted them. */
  private readonly logOffsets = new WeakMap<ReadableLogRecord, number>();

  /** Traces started from now on (and logs outside a trace) happened this many seconds ago. */
  shiftNewTracesBy(seconds: number): void {
    if (!(Number.isInteger(seconds) && seconds >= 0)) {
      throw new RangeError(`time shift must be a whole number of seconds >= 0, got ${seconds}`);
    }
    this.currentSeconds = seconds;
  }

  /** The offset a trace was bound to; 0 for traces this shift never saw. */
  offsetOf(traceId: string): number {
    return this.traceOffsets.get(traceId) ?? 0;
  }

  /** Binds each new trace to the current offset when its first span starts (a continued trace keeps its own). */
  readonly binder: SpanProcessor = {
    onStart: (span: Span) => {
      const { traceId } = span.spanContext();
      if (!this.traceOffsets.has(traceId)) this.traceOffsets.set(traceId, this.currentSeconds);
    },
    onEnd: () => {},
    forceFlush: async () => {},
    shutdown: async () => {},
  };

  /** Must run before the batching processor, so the record is bound before it can be exported. */
  readonly logBinder: LogRecordProcessor = {
    onEmit: (record: SdkLogRecord) => {
      const traceId = record.spanContext?.traceId;
      const bound = traceId === undefined ? undefined : this.traceOffsets.get(traceId);
      this.logOffsets.set(record, bound ?? this.currentSeconds);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };

  /** `inner` receiving every span moved back by its trace's offset; failed batches go to `onFailure`. */
  spanExporter(inner: SpanExporter, onFailure: ExportFailure): SpanExporter {
    return {
      export: (spans, done) =>
        inner.export(
          spans.map((span) => shiftSpan(span, this.offsetOf(span.spanContext().traceId))),
          reporting(spans.length, 'traces', onFailure, done),
        ),
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    };
  }

  /** `inner` receiving every log record moved back like the trace it belongs to. */
  logExporter(inner: LogRecordExporter, onFailure: ExportFailure): LogRecordExporter {
    return {
      export: (records, done) =>
        inner.export(
          records.map((record) => {
            const traceId = record.spanContext?.traceId;
            const seconds = this.logOffsets.get(record) ?? (traceId === undefined ? 0 : this.offsetOf(traceId));
            return shiftLogRecord(record, seconds);
          }),
          reporting(records.length, 'logs', onFailure, done),
        ),
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    };
  }
}

function back(time: HrTime, seconds: number): HrTime {
  return [time[0] - seconds, time[1]];
}

function reporting(
  count: number,
  signal: 'traces' | 'logs',
  onFailure: ExportFailure,
  done: (result: ExportResult) => void,
): (result: ExportResult) => void {
  return (result) => {
    if (result.code !== ExportResultCode.SUCCESS) {
      onFailure(result.error ?? new Error(`exporting ${count} ${signal} items failed`), signal);
    }
    done(result);
  };
}

/** A copy with shifted times; the SDK's span is left alone (other processors may still read it). */
function shiftSpan(span: ReadableSpan, seconds: number): ReadableSpan {
  if (seconds === 0) return span;
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: back(span.startTime, seconds),
    endTime: back(span.endTime, seconds),
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events.map((event) => ({ ...event, time: back(event.time, seconds) })),
    duration: span.duration,
    ended: span.ended,
    // The exporter groups spans by resource identity: pass the same objects on.
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

function shiftLogRecord(record: ReadableLogRecord, seconds: number): ReadableLogRecord {
  if (seconds === 0) return record;
  return {
    hrTime: back(record.hrTime, seconds),
    hrTimeObserved: back(record.hrTimeObserved, seconds),
    spanContext: record.spanContext,
    severityText: record.severityText,
    severityNumber: record.severityNumber,
    body: record.body,
    eventName: record.eventName,
    resource: record.resource,
    instrumentationScope: record.instrumentationScope,
    attributes: record.attributes,
    droppedAttributesCount: record.droppedAttributesCount,
  };
}
