import type { LogEntry, SpanNode } from './records.ts';

/**
 * Builds a trace's span tree from its span log entries. Spans whose parent is
 * missing (not arrived yet, or dropped upstream) become roots, so a partial
 * trace still renders. Children are ordered by start time.
 */
export function buildSpanTree(logs: readonly LogEntry[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const log of logs) {
    if (log.source !== 'span' || !log.spanId) continue;
    nodes.set(log.spanId, {
      spanId: log.spanId,
      parentSpanId: log.parentSpanId,
      name: log.name,
      kind: log.kind,
      level: log.level,
      timestamp: log.timestamp,
      timeUnixNano: log.timeUnixNano,
      durationMs: log.durationMs ?? 0,
      message: log.message,
      attributes: log.attributes,
      children: [],
    });
  }
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentSpanId ? nodes.get(node.parentSpanId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => compareUnixNano(a.timeUnixNano, b.timeUnixNano);
  const sort = (list: SpanNode[]) => {
    list.sort(byStart);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Compares decimal nanosecond timestamps without losing precision. */
export function compareUnixNano(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
