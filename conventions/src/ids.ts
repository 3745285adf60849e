/**
 * Trace IDs and request IDs are the same 128 bits (DESIGN §2): a trace ID is 32
 * lowercase hex characters, a request ID is that value as a UUID.
 */

const TRACE_ID = /^[0-9a-f]{32}$/;
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^0+$/;

export const TRACE_ID_FORMAT_HINT =
  'a trace ID is 32 hex characters (4c7445d219724ed69e4746053bf1d45f) or the same value as a UUID requestId (4c7445d2-1972-4ed6-9e47-46053bf1d45f), and not all zeros';

export class InvalidTraceIdError extends Error {
  override readonly name = 'InvalidTraceIdError';
  constructor(readonly input: unknown) {
    super(`invalid trace ID ${JSON.stringify(clip(input))}: ${TRACE_ID_FORMAT_HINT}`);
  }
}

function clip(input: unknown): unknown {
  return typeof input === 'string' && input.length > 80 ? `${input.slice(0, 80)}…` : input;
}

/** Normalises a trace ID or request ID (either form, any case, surrounding spaces) to a trace ID. */
export function toTraceId(requestIdOrTraceId: string): string {
  if (typeof requestIdOrTraceId !== 'string') throw new InvalidTraceIdError(requestIdOrTraceId);
  const value = requestIdOrTraceId.trim().toLowerCase();
  const hex = REQUEST_ID.test(value) ? value.replaceAll('-', '') : value;
  if (!TRACE_ID.test(hex) || ALL_ZERO.test(hex)) throw new InvalidTraceIdError(requestIdOrTraceId);
  return hex;
}

/** Formats a trace ID (or request ID) as the UUID request ID that callers see in error bodies. */
export function toRequestId(traceId: string): string {
  const hex = toTraceId(traceId);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** True for either ID form that {@link toTraceId} accepts. */
export function isTraceIdLike(value: string): boolean {
  try {
    toTraceId(value);
    return true;
  } catch {
    return false;
  }
}

/** Strict check for an already normalised trace ID (lowercase hex, not all zeros). */
export function isValidTraceId(value: string): boolean {
  return TRACE_ID.test(value) && !ALL_ZERO.test(value);
}

/** Strict check for a span ID: 16 lowercase hex characters, not all zeros. */
export function isValidSpanId(value: string): boolean {
  return SPAN_ID.test(value) && !ALL_ZERO.test(value);
}
