import {
  ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT,
  ATTR_OTEL_DROPPED_EVENTS_COUNT,
  ATTR_OTEL_DROPPED_LINKS_COUNT,
} from './attributes.ts';
import type { LogEntry, LogLevel } from './records.ts';

/**
 * A node of a trace's span tree: structure and timing only. The span's
 * attributes and message live once, on its log entry (same `spanId`).
 */
export interface SpanNode {
  spanId: string;
  parentSpanId: string | null;
  name: string | null;
  kind: LogEntry['kind'];
  level: LogLevel;
  timestamp: string;
  timeUnixNano: string;
  /** As sent: negative when the span ends before it starts (a `negative_duration` warning says so). */
  durationMs: number;
  children: SpanNode[];
}

export const TRACE_WARNING_CODES = [
  'duplicate_span_id',
  'negative_duration',
  'missing_parent',
  'dropped_data',
] as const;
export type TraceWarningCode = (typeof TRACE_WARNING_CODES)[number];

/** Data of a trace that looks wrong, kept as it came and named here instead of fixed silently. */
export interface TraceWarning {
  code: TraceWarningCode;
  spanId: string;
  message: string;
}

export interface SpanTree {
  spans: SpanNode[];
  warnings: TraceWarning[];
}

/**
 * Builds a trace's span tree from its span log entries, as Jaeger's trace
 * model does: nothing is dropped or changed, what looks wrong is flagged.
 * - A span whose parent is missing (not arrived yet, or dropped upstream)
 *   becomes a root, so a partial trace still renders.
 * - A second span with an ID already seen is kept, under its own parent; the
 *   children naming that ID hang under the first.
 * - A negative duration is kept as sent.
 * - A span whose sender (or the collector, past its limits) dropped attributes,
 *   events or links says so in `otel.dropped_*_count` attributes; the tree
 *   names them, since what is shown of that span is incomplete.
 * Children are ordered by start time.
 */
export function buildSpanTree(logs: readonly LogEntry[]): SpanTree {
  const nodes: SpanNode[] = [];
  const first = new Map<string, SpanNode>();
  const warnings: TraceWarning[] = [];
  for (const log of logs) {
    if (log.source !== 'span' || !log.spanId) continue;
    const node = toNode(log, log.spanId);
    nodes.push(node);
    if (first.has(node.spanId)) {
      warnings.push(warning('duplicate_span_id', node.spanId, `span ID ${node.spanId} is used by more than one span`));
    } else first.set(node.spanId, node);
    if (node.durationMs < 0) {
      warnings.push(
        warning('negative_duration', node.spanId, `span ${node.spanId} ends ${-node.durationMs} ms before it starts`),
      );
    }
    const dropped = droppedData(log);
    if (dropped) warnings.push(warning('dropped_data', node.spanId, `span ${node.spanId}: ${dropped}`));
  }
  const roots: SpanNode[] = [];
  for (const node of nodes) {
    const parent = node.parentSpanId ? first.get(node.parentSpanId) : undefined;
    if (parent && parent !== node) {
      parent.children.push(node);
      continue;
    }
    if (node.parentSpanId && !parent) {
      warnings.push(
        warning(
          'missing_parent',
          node.spanId,
          `span ${node.spanId} names parent ${node.parentSpanId}, which is not in this trace (yet)`,
        ),
      );
    }
    roots.push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => compareUnixNano(a.timeUnixNano, b.timeUnixNano);
  const sort = (list: SpanNode[]) => {
    list.sort(byStart);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return { spans: roots, warnings };
}

const DROPPED_COUNTS = [
  [ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT, 'attribute'],
  [ATTR_OTEL_DROPPED_EVENTS_COUNT, 'event'],
  [ATTR_OTEL_DROPPED_LINKS_COUNT, 'link'],
] as const;

/** `dropped before storage (sender or collector limits): 3 attributes, 1 link`, or null when nothing was. */
function droppedData(log: LogEntry): string | null {
  const parts: string[] = [];
  for (const [key, noun] of DROPPED_COUNTS) {
    const count = log.attributes[key];
    if (typeof count === 'number' && count > 0) parts.push(`${count} ${noun}${count === 1 ? '' : 's'}`);
  }
  return parts.length === 0 ? null : `dropped before storage (sender or collector limits): ${parts.join(', ')}`;
}

function toNode(log: LogEntry, spanId: string): SpanNode {
  return {
    spanId,
    parentSpanId: log.parentSpanId,
    name: log.name,
    kind: log.kind,
    level: log.level,
    timestamp: log.timestamp,
    timeUnixNano: log.timeUnixNano,
    durationMs: log.durationMs ?? 0,
    children: [],
  };
}

function warning(code: TraceWarningCode, spanId: string, message: string): TraceWarning {
  return { code, spanId, message };
}

/** Compares decimal nanosecond timestamps without losing precision. */
export function compareUnixNano(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
