/**
 * Finds the trace a pasted text points at: a bare trace ID or requestId, or a whole error body
 * such as `{"code":"41070","meta":{"requestId":"4c7445d2-…"}}` copied from a log.
 */
import { isTraceIdLike, toTraceId } from '@tooltrace/conventions';

const LABELLED = /"?(?:requestId|request_id|traceId|trace_id|x-request-id)"?\s*[:=]\s*"?([0-9a-fA-F-]{32,36})/i;
const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;
const HEX32 = /\b[0-9a-fA-F]{32}\b/g;

/** The trace ID the text refers to, or null. A labelled requestId wins over other IDs in the text. */
export function findTraceIdInText(text: string): string | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const candidates: string[] = [];
  const labelled = LABELLED.exec(text)?.[1];
  if (labelled) candidates.push(labelled);
  candidates.push(...(text.match(UUID) ?? []), ...(text.match(HEX32) ?? []));
  const found = candidates.find((c) => isTraceIdLike(c));
  return found ? toTraceId(found) : null;
}

/** What the search box says about its current text, before the user commits it. */
export type TraceIdInputState = { kind: 'empty' } | { kind: 'valid'; traceId: string } | { kind: 'invalid' };

export function traceIdInputState(value: string): TraceIdInputState {
  if (value.trim() === '') return { kind: 'empty' };
  const traceId = findTraceIdInText(value);
  return traceId ? { kind: 'valid', traceId } : { kind: 'invalid' };
}
