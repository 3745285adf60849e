/**
 * User attribution across export requests (DESIGN §3: the span's own
 * `user.id`/`enduser.id`, then the nearest ancestor's, then the resource's).
 * The collector applies that order within one request; an agent's
 * `invoke_agent` span carrying the user often comes in another request than
 * the tool calls under it, before or after them. So on every write, tool calls
 * that name no user themselves (`userInherited`) — those of the batch, and
 * those already stored in the batch's traces — are given the user of their
 * nearest ancestor among all the spans stored or arriving, when one has a
 * user; otherwise they keep what the collector found (the resource's, or none).
 *
 * Backend-neutral and synchronous: a backend looks up the stored inherited
 * calls and span users of the traces named here, then writes the batch this
 * returns (the changed stored calls ride along as re-sent facts, so the usual
 * upsert path also moves their facet counts).
 */
import { type IngestBatch, type LogFact, type ToolCallFact, USER_ATTRIBUTES } from '@tooltrace/conventions';

/** A span as far as attribution needs it. */
export interface SpanUser {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** Its own `user.id`, else `enduser.id`; null when it names none. */
  userId: string | null;
}

/** Deep enough for any real span tree; bounds a cycle in hostile input. */
const MAX_ANCESTORS = 256;

/** The user a span names itself, from its stored attributes. */
export function ownUserOf(attributes: Readonly<Record<string, unknown>>): string | null {
  for (const name of USER_ATTRIBUTES) {
    const value = attributes[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function spanUserOfLog(log: LogFact): SpanUser | null {
  if (log.source !== 'span' || log.spanId === null) return null;
  return {
    traceId: log.traceId,
    spanId: log.spanId,
    parentSpanId: log.parentSpanId,
    userId: ownUserOf(log.attributes),
  };
}

/** Traces whose stored inherited-user calls this batch may change: every trace it brings a span of. */
export function tracesWithSpans(batch: IngestBatch): string[] {
  const traces = new Set<string>();
  for (const log of batch.logs) if (log.source === 'span') traces.add(log.traceId);
  return [...traces];
}

/** Traces whose span users must be looked up: those of the inherited calls, arriving or `stored`. */
export function tracesNeedingAncestors(batch: IngestBatch, stored: readonly ToolCallFact[]): string[] {
  const traces = new Set<string>();
  for (const call of batch.toolCalls) if (call.userInherited) traces.add(call.traceId);
  for (const call of stored) traces.add(call.traceId);
  return [...traces];
}

const key = (traceId: string, spanId: string) => `${traceId}:${spanId}`;

/**
 * The batch to write: its inherited-user calls with their nearest stored or
 * arriving ancestor's user, plus the `stored` inherited calls whose user that
 * changes (as facts to upsert). `storedSpans` are the stored spans of the
 * traces `tracesNeedingAncestors` named.
 */
export function withInheritedUsers(
  batch: IngestBatch,
  stored: readonly ToolCallFact[],
  storedSpans: readonly SpanUser[],
): IngestBatch {
  if (!batch.toolCalls.some((c) => c.userInherited) && stored.length === 0) return batch;
  const spans = new Map<string, SpanUser>();
  for (const span of storedSpans) spans.set(key(span.traceId, span.spanId), span);
  for (const log of batch.logs) {
    const span = spanUserOfLog(log);
    if (span) spans.set(key(span.traceId, span.spanId), span);
  }
  const ancestorUser = (call: ToolCallFact): string | null => {
    let parent = spans.get(key(call.traceId, call.spanId))?.parentSpanId ?? null;
    for (let depth = 0; parent !== null && depth < MAX_ANCESTORS; depth += 1) {
      const ancestor = spans.get(key(call.traceId, parent));
      if (!ancestor) return null;
      if (ancestor.userId) return ancestor.userId;
      parent = ancestor.parentSpanId;
    }
    return null;
  };
  const withUser = (call: ToolCallFact): ToolCallFact => {
    const user = ancestorUser(call);
    return user === null || user === call.userId ? call : { ...call, userId: user };
  };
  const arriving = new Set(batch.toolCalls.map((c) => key(c.traceId, c.spanId)));
  const toolCalls = batch.toolCalls.map((call) => (call.userInherited ? withUser(call) : call));
  for (const call of stored) {
    if (arriving.has(key(call.traceId, call.spanId))) continue;
    const updated = withUser(call);
    if (updated !== call) toolCalls.push(updated);
  }
  return { ...batch, toolCalls };
}
