/**
 * Steps within the platform (auth refresh, rate-limit wait, mapping the result…)
 * as `internal` spans. In a trigger trace, a failed step before any delivery
 * is the event's processing failure.
 */
import { type Attributes, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_MESSAGE, ATTR_ERROR_TYPE, ATTR_KIND } from '@tooltrace/conventions';
import { tracer } from './settings.ts';

export async function traceInternalStep<T>(
  name: string,
  fn: () => T | Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  const span = tracer().startSpan(name, { attributes: { ...attributes, [ATTR_KIND]: 'internal' } });
  try {
    return await context.with(trace.setSpan(context.active(), span), fn);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    span.setAttribute(ATTR_ERROR_TYPE, err.name || 'Error');
    span.setAttribute(ATTR_ERROR_MESSAGE, err.message);
    throw error;
  } finally {
    span.end();
  }
}
