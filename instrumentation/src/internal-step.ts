/**
 * Steps within the platform (auth refresh, rate-limit wait, mapping the result…)
 * as `internal` spans. In a trigger trace, a failed step before any delivery
 * is the event's processing failure.
 */
import { type Attributes, context, trace } from '@opentelemetry/api';
import { ATTR_KIND, ATTR_TRIGGER_EVENT_ID, ATTR_TRIGGER_ID } from '@tooltrace/conventions';
import { triggerScopeOf } from './context-keys.ts';
import { tracer } from './settings.ts';
import { markSpanFailed } from './span-failure.ts';

export async function traceInternalStep<T>(
  name: string,
  fn: () => T | Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  const span = tracer().startSpan(name, {
    attributes: { ...attributes, ...triggerAttributes(), [ATTR_KIND]: 'internal' },
  });
  try {
    return await context.with(trace.setSpan(context.active(), span), fn);
  } catch (error) {
    markSpanFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Inside a trigger trace the step names its event, so the collector knows a
 * failure is a processing failure even when the step is exported in an earlier
 * batch than the event's root span.
 */
function triggerAttributes(): Attributes {
  const scope = triggerScopeOf(context.active());
  if (!scope) return {};
  return scope.triggerId
    ? { [ATTR_TRIGGER_EVENT_ID]: scope.eventId, [ATTR_TRIGGER_ID]: scope.triggerId }
    : { [ATTR_TRIGGER_EVENT_ID]: scope.eventId };
}
