/**
 * Attribute names and values of the tooltrace span conventions (DESIGN §3).
 * Standard OpenTelemetry semantic-convention names are used where they exist;
 * everything else lives under `tooltrace.*`.
 */

// --- tooltrace.* ---------------------------------------------------------
export const ATTR_KIND = 'tooltrace.kind';
export const ATTR_INTEGRATION = 'tooltrace.integration';

export const ATTR_TOOL_CALL_TYPE = 'tooltrace.tool_call.type';
export const ATTR_ERROR_CODE = 'tooltrace.error.code';
export const ATTR_ERROR_MESSAGE = 'tooltrace.error.message';
/** Provider response body; kept only on error-level entries. */
export const ATTR_HTTP_RESPONSE_BODY = 'tooltrace.http.response.body';

export const ATTR_TRIGGER_EVENT_ID = 'tooltrace.trigger.event_id';
export const ATTR_TRIGGER_ID = 'tooltrace.trigger.id';
export const ATTR_TRIGGER_NAME = 'tooltrace.trigger.name';
export const ATTR_TRIGGER_SUBSCRIPTION_MODEL = 'tooltrace.trigger.subscription_model';
export const ATTR_TRIGGER_RECORDS_NEW = 'tooltrace.trigger.records.new';
export const ATTR_TRIGGER_RECORDS_UPDATED = 'tooltrace.trigger.records.updated';
/** On `trigger_subscription` roots: `subscribe` (default) or `unsubscribe`. */
export const ATTR_TRIGGER_SUBSCRIPTION_ACTION = 'tooltrace.trigger.subscription.action';
/**
 * On `trigger_webhook_create` spans: true when no further attempt will follow.
 * A final attempt with status ERROR means the subscription failed for good.
 */
export const ATTR_WEBHOOK_CREATE_FINAL = 'tooltrace.webhook_create.final';

export const ATTR_DELIVERY_ID = 'tooltrace.delivery.id';
export const ATTR_DELIVERY_ATTEMPT = 'tooltrace.delivery.attempt';
export const ATTR_DELIVERY_FINAL = 'tooltrace.delivery.final';

// --- OpenTelemetry semantic conventions ---------------------------------------
export const ATTR_USER_ID = 'user.id';
/** The user as the older OpenTelemetry conventions (and many agent frameworks) name it. */
export const ATTR_ENDUSER_ID = 'enduser.id';
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_URL_PATH = 'url.path';
export const ATTR_URL_FULL = 'url.full';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';
/**
 * What a sender's SDK (or the collector, past its limits) dropped from a span, event or log record,
 * under the names the OpenTelemetry specification gives exporters to formats without OTLP's
 * `dropped_*_count` fields (Jaeger, Zipkin). Set only when non-zero.
 */
export const ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT = 'otel.dropped_attributes_count';
export const ATTR_OTEL_DROPPED_EVENTS_COUNT = 'otel.dropped_events_count';
export const ATTR_OTEL_DROPPED_LINKS_COUNT = 'otel.dropped_links_count';

export const GEN_AI_OPERATION_EXECUTE_TOOL = 'execute_tool';
export const MCP_METHOD_TOOLS_CALL = 'tools/call';
export const MCP_METHOD_TOOLS_LIST = 'tools/list';
export const EXCEPTION_EVENT_NAME = 'exception';

// --- values -------------------------------------------------------------------
export const SPAN_KINDS = [
  'tool_call',
  'provider_request',
  'internal',
  'trigger_event',
  'trigger_poll',
  'trigger_webhook_received',
  'trigger_delivery',
  'trigger_subscription',
  'trigger_webhook_create',
] as const;
export type TooltraceSpanKind = (typeof SPAN_KINDS)[number];

export const TOOL_CALL_TYPES = ['list_tools', 'run_tool'] as const;
export type ToolCallType = (typeof TOOL_CALL_TYPES)[number];

export const SUBSCRIPTION_MODELS = ['POLLING', 'WEBHOOK'] as const;
export type SubscriptionModel = (typeof SUBSCRIPTION_MODELS)[number];

export function isTooltraceSpanKind(value: unknown): value is TooltraceSpanKind {
  return typeof value === 'string' && (SPAN_KINDS as readonly string[]).includes(value);
}

// --- appended by the instrumentation SDK (issue 4) -----------------------------
/** JSON text of a trigger's input: the webhook event received, or the records a poll detected (capped, redacted). */
export const ATTR_TRIGGER_PAYLOAD = 'tooltrace.trigger.payload';
/** On `trigger_webhook_create` spans: the attempt number, 1, 2, … */
export const ATTR_WEBHOOK_CREATE_ATTEMPT = 'tooltrace.webhook_create.attempt';
