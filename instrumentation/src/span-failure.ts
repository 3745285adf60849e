import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_MESSAGE, ATTR_ERROR_TYPE } from '@tooltrace/conventions';

/** Marks `span` failed by a thrown value: exception event, ERROR status, `error.type` and the error message. */
export function markSpanFailed(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  span.setAttribute(ATTR_ERROR_TYPE, err.name || 'Error');
  span.setAttribute(ATTR_ERROR_MESSAGE, err.message);
}
