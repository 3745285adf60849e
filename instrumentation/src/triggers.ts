/**
 * Trigger pipelines (DESIGN §3): every trigger event and every subscription is
 * its own trace. Detection, the received webhook, webhook creation and each
 * delivery attempt are children in that trace; deliveries may start after the
 * root ended, even in another process, from a saved context.
 */
import { randomUUID } from 'node:crypto';
import {
  type Attributes,
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_DELIVERY_FINAL,
  ATTR_DELIVERY_ID,
  ATTR_ERROR_MESSAGE,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_BODY,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_INTEGRATION,
  ATTR_KIND,
  ATTR_TRIGGER_EVENT_ID,
  ATTR_TRIGGER_ID,
  ATTR_TRIGGER_NAME,
  ATTR_TRIGGER_PAYLOAD,
  ATTR_TRIGGER_RECORDS_NEW,
  ATTR_TRIGGER_RECORDS_UPDATED,
  ATTR_TRIGGER_SUBSCRIPTION_ACTION,
  ATTR_TRIGGER_SUBSCRIPTION_MODEL,
  ATTR_URL_FULL,
  ATTR_USER_ID,
  ATTR_WEBHOOK_CREATE_ATTEMPT,
  ATTR_WEBHOOK_CREATE_FINAL,
  isHttpSuccess,
  type SubscriptionModel,
  toRequestId,
} from '@tooltrace/conventions';
import { markNotProviderRequest, type TriggerScope, triggerScopeOf, withTriggerScope } from './context-keys.ts';
import { readBodyPrefix } from './provider-request.ts';
import { fromSerializedContext, serializeContext } from './serialized-context.ts';
import { toAttributeText, tracer } from './settings.ts';
import { markSpanFailed } from './span-failure.ts';

export interface TriggerEventInfo {
  eventId: string;
  triggerId: string;
  triggerName: string;
  integration: string;
  subscriptionModel: SubscriptionModel;
  /** The subscribed user the event belongs to, when there is one. */
  userId?: string;
}

export interface TriggerSubscriptionInfo {
  /** Identifies this subscription change; a random UUID when omitted. */
  subscriptionId?: string;
  triggerId: string;
  triggerName: string;
  integration: string;
  subscriptionModel: SubscriptionModel;
  userId: string;
  action?: 'subscribe' | 'unsubscribe';
}

/** What the traced function of a trigger event or subscription gets: its trace, and a context to save. */
export interface TriggerTraceHandle {
  traceId: string | null;
  requestId: string | null;
  /** `serializeContext()` of the root, for deliveries made later; null when tracing is off. */
  savedContext: string | null;
}

export interface TriggerTraceResult<T> extends TriggerTraceHandle {
  result: T;
}

function handleOf(span: Span, ctx: Context): TriggerTraceHandle {
  const spanContext = span.spanContext();
  if (!trace.isSpanContextValid(spanContext)) return { traceId: null, requestId: null, savedContext: null };
  return {
    traceId: spanContext.traceId,
    requestId: toRequestId(spanContext.traceId),
    savedContext: serializeContext(ctx),
  };
}

async function runRoot<T>(
  name: string,
  attributes: Attributes,
  scope: TriggerScope,
  fn: (handle: TriggerTraceHandle) => T | Promise<T>,
): Promise<TriggerTraceResult<T>> {
  // A trigger trace is always new: its trace ID identifies the event, whatever started the work.
  const span = tracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes, root: true }, ROOT_CONTEXT);
  const ctx = withTriggerScope(trace.setSpan(context.active(), span), scope);
  const handle = handleOf(span, ctx);
  try {
    const result = await context.with(ctx, () => fn(handle));
    return { ...handle, result };
  } catch (error) {
    // A failure of the root before delivery is the event's processing failure (DESIGN §4).
    markSpanFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Runs the processing of one trigger event as the root of its trace. A throw marks a processing failure. */
export function traceTriggerEvent<T>(
  info: TriggerEventInfo,
  fn: (event: TriggerTraceHandle) => T | Promise<T>,
): Promise<TriggerTraceResult<T>> {
  const attributes: Attributes = {
    [ATTR_KIND]: 'trigger_event',
    [ATTR_TRIGGER_EVENT_ID]: info.eventId,
    [ATTR_TRIGGER_ID]: info.triggerId,
    [ATTR_TRIGGER_NAME]: info.triggerName,
    [ATTR_TRIGGER_SUBSCRIPTION_MODEL]: info.subscriptionModel,
    [ATTR_INTEGRATION]: info.integration,
    ...(info.userId ? { [ATTR_USER_ID]: info.userId } : {}),
  };
  const scope = { eventId: info.eventId, triggerId: info.triggerId, integration: info.integration };
  return runRoot(`trigger_event ${info.triggerName}`, attributes, scope, fn);
}

/** Runs subscribing (or unsubscribing) a user to a trigger as the root of its trace. */
export function traceSubscription<T>(
  info: TriggerSubscriptionInfo,
  fn: (subscription: TriggerTraceHandle) => T | Promise<T>,
): Promise<TriggerTraceResult<T>> {
  const subscriptionId = info.subscriptionId ?? randomUUID();
  const attributes: Attributes = {
    [ATTR_KIND]: 'trigger_subscription',
    [ATTR_TRIGGER_EVENT_ID]: subscriptionId,
    [ATTR_TRIGGER_ID]: info.triggerId,
    [ATTR_TRIGGER_NAME]: info.triggerName,
    [ATTR_TRIGGER_SUBSCRIPTION_MODEL]: info.subscriptionModel,
    [ATTR_TRIGGER_SUBSCRIPTION_ACTION]: info.action ?? 'subscribe',
    [ATTR_INTEGRATION]: info.integration,
    [ATTR_USER_ID]: info.userId,
  };
  const scope = { eventId: subscriptionId, triggerId: info.triggerId, integration: info.integration };
  return runRoot(`trigger_subscription ${info.triggerName}`, attributes, scope, fn);
}

/** Records, as an ended child span, something that already happened in the active trigger trace. */
function recordChild(name: string, attributes: Attributes, failed?: { message: string; type: string }): void {
  const scope = triggerScopeOf(context.active());
  const span = tracer().startSpan(name, {
    kind: SpanKind.INTERNAL,
    attributes: { ...(scope?.integration ? { [ATTR_INTEGRATION]: scope.integration } : {}), ...attributes },
  });
  if (failed) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: failed.message });
    span.setAttribute(ATTR_ERROR_TYPE, failed.type);
    span.setAttribute(ATTR_ERROR_MESSAGE, failed.message);
  }
  span.end();
}

/** A polling job's detection: how many records were new or updated (and, optionally, which). */
export function recordPollDetection(detection: {
  newRecords: number;
  updatedRecords: number;
  records?: unknown;
}): void {
  recordChild('trigger_poll', {
    [ATTR_KIND]: 'trigger_poll',
    [ATTR_TRIGGER_RECORDS_NEW]: detection.newRecords,
    [ATTR_TRIGGER_RECORDS_UPDATED]: detection.updatedRecords,
    ...(detection.records !== undefined ? { [ATTR_TRIGGER_PAYLOAD]: toAttributeText(detection.records) } : {}),
  });
}

/** The original webhook event the integration sent; the payload is kept (capped, redacted). */
export function recordWebhookReceived(received: { payload: unknown }): void {
  recordChild('trigger_webhook_received', {
    [ATTR_KIND]: 'trigger_webhook_received',
    [ATTR_TRIGGER_PAYLOAD]: toAttributeText(received.payload),
  });
}

export interface WebhookCreationAttempt {
  attempt: number;
  /** True when no further attempt will follow; a final failed attempt fails the subscription for good. */
  final: boolean;
  /** The URL the webhook was to be registered for. */
  webhookUrl?: string;
  httpStatus?: number;
  /** Set when the attempt failed without (or besides) an HTTP error status. */
  error?: unknown;
  /** The provider's answer to a failed attempt; recorded only on failure. */
  responseBody?: unknown;
}

/** One attempt to create a webhook in the integration on the user's behalf, inside `traceSubscription`. */
export function recordWebhookCreation(attempt: WebhookCreationAttempt): void {
  const httpFailed = attempt.httpStatus !== undefined && !isHttpSuccess(attempt.httpStatus);
  const failed = attempt.error !== undefined || httpFailed;
  const attributes: Attributes = {
    [ATTR_KIND]: 'trigger_webhook_create',
    [ATTR_WEBHOOK_CREATE_ATTEMPT]: attempt.attempt,
    [ATTR_WEBHOOK_CREATE_FINAL]: attempt.final || !failed,
    ...(attempt.webhookUrl ? { [ATTR_URL_FULL]: attempt.webhookUrl } : {}),
    ...(attempt.httpStatus !== undefined ? { [ATTR_HTTP_RESPONSE_STATUS_CODE]: attempt.httpStatus } : {}),
    ...(failed && attempt.responseBody !== undefined
      ? { [ATTR_HTTP_RESPONSE_BODY]: toAttributeText(attempt.responseBody) }
      : {}),
  };
  const error = attempt.error instanceof Error ? attempt.error : undefined;
  recordChild(
    'trigger_webhook_create',
    attributes,
    failed
      ? {
          message: error?.message ?? (httpFailed ? `HTTP ${attempt.httpStatus}` : String(attempt.error)),
          type: error?.name ?? (httpFailed ? String(attempt.httpStatus) : 'Error'),
        }
      : undefined,
  );
}

export interface DeliveryAttemptInfo {
  deliveryId: string;
  /** 1, 2, … */
  attempt: number;
  /** True when no retry will follow this attempt if it fails. */
  final: boolean;
  webhookUrl: string;
  userId: string;
  /** The event's saved context (`serializeContext()` text) or a Context; defaults to the active context. */
  parent?: string | Context;
  /** Default to the event the parent context belongs to. */
  eventId?: string;
  triggerId?: string;
}

export interface DeliveryAttemptRecorder {
  readonly span: Span;
  /** Reports the webhook's answer when `fn` does not resolve to a fetch `Response`. */
  setHttpStatus(status: number): void;
}

export interface DeliveryAttemptOutcome<T> {
  result: T;
  httpStatus: number | null;
  /** The webhook answered 2xx. */
  succeeded: boolean;
}

/**
 * One attempt to deliver a trigger event to the customer's webhook, as a child
 * of the event's trace. `fn` should resolve to the fetch `Response` (or call
 * `setHttpStatus`); a non-2xx answer or a throw makes the attempt failed.
 */
export async function traceDeliveryAttempt<T>(
  info: DeliveryAttemptInfo,
  fn: (attempt: DeliveryAttemptRecorder) => T | Promise<T>,
): Promise<DeliveryAttemptOutcome<T>> {
  const parent =
    typeof info.parent === 'string' ? fromSerializedContext(info.parent) : (info.parent ?? context.active());
  const scope = triggerScopeOf(parent);
  const eventId = info.eventId ?? scope?.eventId;
  const triggerId = info.triggerId ?? scope?.triggerId;
  const span = tracer().startSpan(
    `trigger_delivery attempt ${info.attempt}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [ATTR_KIND]: 'trigger_delivery',
        [ATTR_DELIVERY_ID]: info.deliveryId,
        [ATTR_DELIVERY_ATTEMPT]: info.attempt,
        [ATTR_DELIVERY_FINAL]: info.final,
        [ATTR_URL_FULL]: info.webhookUrl,
        [ATTR_USER_ID]: info.userId,
        ...(eventId ? { [ATTR_TRIGGER_EVENT_ID]: eventId } : {}),
        ...(triggerId ? { [ATTR_TRIGGER_ID]: triggerId } : {}),
        ...(scope?.integration ? { [ATTR_INTEGRATION]: scope.integration } : {}),
      },
    },
    parent,
  );
  let httpStatus: number | null = null;
  const recorder: DeliveryAttemptRecorder = {
    span,
    setHttpStatus(status) {
      httpStatus = status;
    },
  };
  // The webhook call is the customer's endpoint, not an integration provider.
  const ctx = markNotProviderRequest(trace.setSpan(parent, span));
  try {
    const result = await context.with(ctx, () => fn(recorder));
    if (httpStatus === null && result instanceof Response) httpStatus = result.status;
    const succeeded = isHttpSuccess(httpStatus);
    if (httpStatus !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, httpStatus);
    if (succeeded) {
      // Nothing follows a delivered attempt.
      span.setAttribute(ATTR_DELIVERY_FINAL, true);
    } else if (httpStatus !== null) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: `webhook answered HTTP ${httpStatus}` });
      span.setAttribute(ATTR_ERROR_TYPE, String(httpStatus));
      if (result instanceof Response) {
        const body = await readBodyPrefix(result).catch(() => undefined);
        if (body) span.setAttribute(ATTR_HTTP_RESPONSE_BODY, body);
      }
    }
    return { result, httpStatus, succeeded };
  } catch (error) {
    if (httpStatus !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, httpStatus);
    markSpanFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}
