/**
 * Trace models: what an instrumented ActionKit-style service would emit, as
 * plain data (no OpenTelemetry objects), encoded as OTLP protobuf by `otlp.ts`;
 * and `newSpan`, which every kind of trace builds its spans with.
 */
import { ATTR_INTEGRATION, ATTR_KIND, type TooltraceSpanKind } from '@tooltrace/conventions';
import type { IntegrationSpec } from './catalog.ts';
import type { Rng } from './rng.ts';

export type AttrValue = string | number | boolean;
export type Attrs = Record<string, AttrValue>;

export type ModelSpanKind = 'server' | 'client' | 'internal' | 'consumer';

export interface ModelEvent {
  name: string;
  /** Epoch microseconds: fits a double exactly and gives sub-millisecond order. */
  timeUs: number;
  attributes: Attrs;
}

export interface ModelSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  spanKind: ModelSpanKind;
  kind: TooltraceSpanKind;
  startUs: number;
  durationUs: number;
  attributes: Attrs;
  /** Span status ERROR. */
  error: boolean;
  statusMessage: string | null;
  events: ModelEvent[];
}

export type ModelSeverity = 'INFO' | 'WARN' | 'ERROR';

export interface ModelLogRecord {
  traceId: string;
  spanId: string;
  timeUs: number;
  severity: ModelSeverity;
  body: string;
  attributes: Attrs;
}

export type ModelTraceKind = 'tool_call' | 'trigger_event' | 'trigger_subscription';

export interface ModelTrace {
  traceId: string;
  kind: ModelTraceKind;
  startUs: number;
  spans: ModelSpan[];
  logRecords: ModelLogRecord[];
}

/** What every span of one trace shares while it is being generated. */
export interface TraceContext {
  rng: Rng;
  traceId: string;
  startUs: number;
  integration: IntegrationSpec;
  userId: string;
}

export function newSpan(
  ctx: TraceContext,
  parent: ModelSpan | null,
  fields: Pick<ModelSpan, 'name' | 'spanKind' | 'kind' | 'startUs' | 'durationUs' | 'attributes'> &
    Partial<Pick<ModelSpan, 'error' | 'statusMessage'>>,
): ModelSpan {
  return {
    traceId: ctx.traceId,
    spanId: ctx.rng.hex(16),
    parentSpanId: parent?.spanId ?? null,
    error: false,
    statusMessage: null,
    events: [],
    ...fields,
    attributes: { [ATTR_KIND]: fields.kind, [ATTR_INTEGRATION]: ctx.integration.name, ...fields.attributes },
  };
}
