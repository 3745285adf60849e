/**
 * The "Linked traces" of a trace: every span link of its spans (a batch job's
 * span linking the traces it consumed, a retry linking the attempt before),
 * one row per link, in the order the spans started. Links into the same
 * trace are kept: they still name a span, and the view says it is this trace.
 */
import type { LogEntry } from '@tooltrace/conventions';

export interface LinkedTrace {
  /** The linking span: its ID and name (or message, when it has no name). */
  fromSpanId: string;
  fromSpan: string;
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
  /** The link points into the trace being viewed. */
  sameTrace: boolean;
}

/** `logs` in time order (as the trace view holds them). */
export function linkedTraces(logs: readonly LogEntry[]): LinkedTrace[] {
  const rows: LinkedTrace[] = [];
  for (const log of logs) {
    if (log.source !== 'span' || !log.spanId || !log.links) continue;
    for (const link of log.links) {
      rows.push({
        fromSpanId: log.spanId,
        fromSpan: log.name ?? log.message,
        traceId: link.traceId,
        spanId: link.spanId,
        attributes: link.attributes,
        sameTrace: link.traceId === log.traceId,
      });
    }
  }
  return rows;
}

/** One line for a link's attributes (`messaging.message.id=m-1 · reason=retry`), or null when it has none. */
export function linkAttributesLine(attributes: Record<string, unknown>): string | null {
  const parts = Object.entries(attributes).map(
    ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return parts.length === 0 ? null : parts.join(' · ');
}
