/** Context entries the helpers use to talk to each other across async boundaries. */
import { type Context, createContextKey } from '@opentelemetry/api';

/**
 * HTTP requests made under this key get no automatic provider_request span:
 * the request is already covered by `traceProviderRequest`, or it goes to the
 * customer's webhook (a delivery attempt), not to an integration provider.
 */
const NOT_PROVIDER_REQUEST = createContextKey('tooltrace.not_provider_request');

export function markNotProviderRequest(ctx: Context): Context {
  return ctx.setValue(NOT_PROVIDER_REQUEST, true);
}

export function isNotProviderRequest(ctx: Context): boolean {
  return ctx.getValue(NOT_PROVIDER_REQUEST) === true;
}

/** The trigger event (or subscription) a context belongs to, so later delivery spans can name it. */
export interface TriggerScope {
  eventId: string;
  triggerId: string | null;
  integration: string | null;
}

const TRIGGER_SCOPE = createContextKey('tooltrace.trigger_scope');

export function withTriggerScope(ctx: Context, scope: TriggerScope): Context {
  return ctx.setValue(TRIGGER_SCOPE, scope);
}

export function triggerScopeOf(ctx: Context): TriggerScope | undefined {
  return ctx.getValue(TRIGGER_SCOPE) as TriggerScope | undefined;
}
