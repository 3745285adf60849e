/**
 * Per sender, a few traces of a request in which no span is a tool call or
 * trigger event (none carries a `tooltrace.kind` or is detected as a tool
 * call): the project's ingest status keeps them so the Tools and Triggers
 * empty states ("none is a tool call") can link to a real one.
 */
import { MAX_SAMPLES_PER_SENDER, type TraceSample } from '@tooltrace/conventions';
import { UNKNOWN_SERVICE } from './senders.ts';
import type { SpanView } from './span-view.ts';

export type SenderSamples = Record<string, TraceSample[]>;

export function plainTraceSamples(views: readonly SpanView[], receivedAtMs: number): SenderSamples {
  const marked = new Set(views.filter((v) => v.kind !== null).map((v) => v.traceId));
  const bySender = new Map<string, Map<string, TraceSample>>();
  for (const v of views) {
    if (marked.has(v.traceId)) continue;
    const sender = v.serviceName || UNKNOWN_SERVICE;
    let traces = bySender.get(sender);
    if (!traces) {
      traces = new Map();
      bySender.set(sender, traces);
    }
    const seen = traces.get(v.traceId);
    const rootName = v.parentSpanId === null ? v.span.name || null : null;
    if (seen) {
      seen.name ??= rootName;
    } else if (traces.size < MAX_SAMPLES_PER_SENDER) {
      traces.set(v.traceId, { traceId: v.traceId, name: rootName, atMs: receivedAtMs });
    }
  }
  // fromEntries defines own properties, so a sender named `__proto__` stays a name.
  return Object.fromEntries([...bySender].map(([sender, traces]) => [sender, [...traces.values()]]));
}
