/**
 * What a sender must emit, per kind of span: the source of the attribute reference in
 * docs/sending-telemetry.md (rendered by `renderAttributeReference`, checked in sync by a test).
 * Every attribute name comes from attributes.ts, so the reference cannot drift from the code.
 */
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_DELIVERY_FINAL,
  ATTR_DELIVERY_ID,
  ATTR_ENDUSER_ID,
  ATTR_ERROR_CODE,
  ATTR_ERROR_MESSAGE,
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_BODY,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_INTEGRATION,
  ATTR_KIND,
  ATTR_MCP_METHOD_NAME,
  ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT,
  ATTR_OTEL_DROPPED_EVENTS_COUNT,
  ATTR_OTEL_DROPPED_LINKS_COUNT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVICE_NAME,
  ATTR_TOOL_CALL_TYPE,
  ATTR_TRIGGER_EVENT_ID,
  ATTR_TRIGGER_ID,
  ATTR_TRIGGER_NAME,
  ATTR_TRIGGER_PAYLOAD,
  ATTR_TRIGGER_RECORDS_NEW,
  ATTR_TRIGGER_RECORDS_UPDATED,
  ATTR_TRIGGER_SUBSCRIPTION_ACTION,
  ATTR_TRIGGER_SUBSCRIPTION_MODEL,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_USER_ID,
  ATTR_WEBHOOK_CREATE_ATTEMPT,
  ATTR_WEBHOOK_CREATE_FINAL,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  MCP_METHOD_TOOLS_CALL,
  MCP_METHOD_TOOLS_LIST,
  SUBSCRIPTION_MODELS,
  TOOL_CALL_TYPES,
} from './attributes.ts';

/** Where the collector looks for a span's user, first match wins (see USER_ATTRIBUTION_ORDER). */
export const USER_ATTRIBUTES = [ATTR_USER_ID, ATTR_ENDUSER_ID] as const;
export const USER_ATTRIBUTION_ORDER = [
  `\`${ATTR_USER_ID}\`, then \`${ATTR_ENDUSER_ID}\`, on the span itself`,
  "the same two on the nearest ancestor span that has one (e.g. an agent's `invoke_agent` span), whether it arrives in the same export request, an earlier or a later one (a tool call stored without a user of its own gets the ancestor's when it arrives)",
  'the same two on the resource',
] as const;

export interface AttributeDoc {
  name: string;
  value: string;
  /** Must be set for the span to be understood as this kind. */
  required?: boolean;
}

export interface SpanKindDoc {
  title: string;
  /** How the span is recognised. */
  recognisedBy: string;
  spanKind: 'SERVER' | 'CLIENT' | 'INTERNAL' | 'any';
  attributes: AttributeDoc[];
  notes?: string;
}

const user: AttributeDoc = { name: ATTR_USER_ID, value: "the connected user's ID in your app (or `enduser.id`)" };
const integration: AttributeDoc = { name: ATTR_INTEGRATION, value: 'the integration, e.g. `slack`, `salesforce`' };
const list = (values: readonly string[]) => values.map((v) => `\`${v}\``).join(' or ');

export const SPAN_REFERENCE: SpanKindDoc[] = [
  {
    title: 'Tool call (tooltrace conventions)',
    recognisedBy: `\`${ATTR_KIND}\` = \`tool_call\``,
    spanKind: 'SERVER',
    attributes: [
      { name: ATTR_KIND, value: '`tool_call`', required: true },
      { name: ATTR_TOOL_CALL_TYPE, value: list(TOOL_CALL_TYPES), required: true },
      { name: ATTR_GEN_AI_OPERATION_NAME, value: `\`${GEN_AI_OPERATION_EXECUTE_TOOL}\` for \`run_tool\`` },
      { name: ATTR_GEN_AI_TOOL_NAME, value: 'the tool, e.g. `SLACK_SEND_MESSAGE` (`run_tool`)' },
      { name: ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, value: 'the parameters, JSON text' },
      { name: ATTR_GEN_AI_TOOL_CALL_ID, value: "the caller's ID of this call, if it has one" },
      integration,
      user,
      { name: ATTR_HTTP_REQUEST_METHOD, value: 'the tool request, e.g. `POST`' },
      { name: ATTR_URL_PATH, value: 'the tool request path' },
      { name: ATTR_HTTP_RESPONSE_STATUS_CODE, value: 'the answer; 4xx/5xx is a failed call' },
      { name: ATTR_ERROR_TYPE, value: 'on failure (with span status ERROR): the error class or status' },
      { name: ATTR_ERROR_CODE, value: "on failure: your platform's error code, e.g. `41070`" },
      { name: ATTR_ERROR_MESSAGE, value: 'on failure: the message your caller saw' },
    ],
    notes:
      'Span name: `run_tool SLACK_SEND_MESSAGE` or `list_tools`. The trace ID is the `requestId` your service hands back, as a UUID.',
  },
  {
    title: 'Tool call (GenAI agent frameworks)',
    recognisedBy: `\`${ATTR_GEN_AI_OPERATION_NAME}\` = \`${GEN_AI_OPERATION_EXECUTE_TOOL}\``,
    spanKind: 'any',
    attributes: [
      { name: ATTR_GEN_AI_OPERATION_NAME, value: `\`${GEN_AI_OPERATION_EXECUTE_TOOL}\``, required: true },
      { name: ATTR_GEN_AI_TOOL_NAME, value: 'the tool' },
      { name: ATTR_GEN_AI_TOOL_CALL_ID, value: "the model's ID of this call" },
      { name: ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, value: 'the arguments, JSON text' },
      user,
    ],
    notes: 'A trace may hold several; each is its own tool call, keyed by trace and span ID.',
  },
  {
    title: 'Tool call (MCP servers)',
    recognisedBy: `SpanKind SERVER with \`${ATTR_MCP_METHOD_NAME}\` = \`${MCP_METHOD_TOOLS_CALL}\` or \`${MCP_METHOD_TOOLS_LIST}\``,
    spanKind: 'SERVER',
    attributes: [
      { name: ATTR_MCP_METHOD_NAME, value: list([MCP_METHOD_TOOLS_CALL, MCP_METHOD_TOOLS_LIST]), required: true },
      { name: ATTR_GEN_AI_TOOL_NAME, value: 'the tool (`tools/call`)' },
      user,
    ],
  },
  {
    title: 'Provider request (inside a tool call or trigger)',
    recognisedBy: `\`${ATTR_KIND}\` = \`provider_request\``,
    spanKind: 'CLIENT',
    attributes: [
      { name: ATTR_KIND, value: '`provider_request`', required: true },
      { name: ATTR_HTTP_REQUEST_METHOD, value: 'e.g. `POST`' },
      { name: ATTR_URL_FULL, value: "the provider's URL" },
      { name: ATTR_SERVER_ADDRESS, value: "the provider's host" },
      { name: ATTR_HTTP_RESPONSE_STATUS_CODE, value: "the provider's answer" },
      integration,
      {
        name: ATTR_HTTP_RESPONSE_BODY,
        value: 'the response body, **only when the span is an error** (status ERROR or HTTP ≥ 400); dropped otherwise',
      },
    ],
  },
  {
    title: 'Internal step',
    recognisedBy: `\`${ATTR_KIND}\` = \`internal\``,
    spanKind: 'INTERNAL',
    attributes: [{ name: ATTR_KIND, value: '`internal`', required: true }],
    notes:
      'Auth refresh, rate-limit wait, mapping… In a trigger trace, one with status ERROR before any delivery is a processing failure.',
  },
  {
    title: 'Trigger event (root of its trace)',
    recognisedBy: `\`${ATTR_KIND}\` = \`trigger_event\``,
    spanKind: 'any',
    attributes: [
      { name: ATTR_KIND, value: '`trigger_event`', required: true },
      { name: ATTR_TRIGGER_EVENT_ID, value: 'unique event ID', required: true },
      { name: ATTR_TRIGGER_ID, value: "the subscribed trigger's ID" },
      { name: ATTR_TRIGGER_NAME, value: 'e.g. `SALESFORCE_RECORD_CREATED`' },
      { name: ATTR_TRIGGER_SUBSCRIPTION_MODEL, value: list(SUBSCRIPTION_MODELS) },
      integration,
      user,
    ],
  },
  {
    title: 'Poll detection (child of a trigger event)',
    recognisedBy: `\`${ATTR_KIND}\` = \`trigger_poll\``,
    spanKind: 'any',
    attributes: [
      { name: ATTR_KIND, value: '`trigger_poll`', required: true },
      { name: ATTR_TRIGGER_RECORDS_NEW, value: 'records found new' },
      { name: ATTR_TRIGGER_RECORDS_UPDATED, value: 'records found updated' },
      { name: ATTR_TRIGGER_PAYLOAD, value: 'the detected records, JSON text' },
    ],
  },
  {
    title: 'Webhook received (child of a trigger event)',
    recognisedBy: `\`${ATTR_KIND}\` = \`trigger_webhook_received\``,
    spanKind: 'any',
    attributes: [
      { name: ATTR_KIND, value: '`trigger_webhook_received`', required: true },
      { name: ATTR_TRIGGER_PAYLOAD, value: "the integration's webhook event, JSON text" },
    ],
  },
  {
    title: 'Delivery attempt (in the event’s trace; may start after its parent ended)',
    recognisedBy: `\`${ATTR_KIND}\` = \`trigger_delivery\``,
    spanKind: 'CLIENT',
    attributes: [
      { name: ATTR_KIND, value: '`trigger_delivery`', required: true },
      { name: ATTR_DELIVERY_ID, value: 'one ID per delivery, the same on each of its attempts' },
      { name: ATTR_DELIVERY_ATTEMPT, value: '1, 2, …' },
      { name: ATTR_DELIVERY_FINAL, value: '`true` when no retry will follow' },
      { name: ATTR_TRIGGER_EVENT_ID, value: "the event's ID (else taken from the trace's root)" },
      { name: ATTR_URL_FULL, value: "the customer's webhook URL" },
      { name: ATTR_HTTP_RESPONSE_STATUS_CODE, value: "the webhook's answer; 2xx succeeded" },
      user,
    ],
  },
  {
    title: 'Trigger subscription (root of its trace)',
    recognisedBy: `\`${ATTR_KIND}\` = \`trigger_subscription\``,
    spanKind: 'any',
    attributes: [
      { name: ATTR_KIND, value: '`trigger_subscription`', required: true },
      { name: ATTR_TRIGGER_ID, value: "the trigger's ID" },
      { name: ATTR_TRIGGER_NAME, value: "the trigger's name" },
      { name: ATTR_TRIGGER_SUBSCRIPTION_MODEL, value: list(SUBSCRIPTION_MODELS) },
      { name: ATTR_TRIGGER_SUBSCRIPTION_ACTION, value: '`subscribe` (default) or `unsubscribe`' },
      integration,
      user,
    ],
  },
  {
    title: 'Webhook creation attempt (child of a subscription)',
    recognisedBy: `\`${ATTR_KIND}\` = \`trigger_webhook_create\``,
    spanKind: 'CLIENT',
    attributes: [
      { name: ATTR_KIND, value: '`trigger_webhook_create`', required: true },
      { name: ATTR_WEBHOOK_CREATE_ATTEMPT, value: '1, 2, …' },
      {
        name: ATTR_WEBHOOK_CREATE_FINAL,
        value: '`true` when no retry follows; a final one with status ERROR fails the subscription',
      },
    ],
  },
  {
    title: 'Logs and exceptions (any span of a trace)',
    recognisedBy: 'span events, and OTLP log records carrying the trace ID',
    spanKind: 'any',
    attributes: [
      { name: ATTR_EXCEPTION_TYPE, value: 'on `exception` span events or log records: the error class' },
      { name: ATTR_EXCEPTION_MESSAGE, value: 'the message' },
      { name: ATTR_EXCEPTION_STACKTRACE, value: 'the stack' },
      { name: ATTR_SERVICE_NAME, value: 'on the resource: your service' },
    ],
  },
  {
    title: 'Dropped data (any span, span event or log record)',
    recognisedBy:
      "OTLP's `dropped_attributes_count`, `dropped_events_count` and `dropped_links_count` fields, which tooltrace stores under these names (adding what it dropped past its own limits); a sender never needs to set them, and the trace view shows them as a warning",
    spanKind: 'any',
    attributes: [
      {
        name: ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT,
        value: 'attributes the sender or the collector dropped (set only when non-zero)',
      },
      { name: ATTR_OTEL_DROPPED_EVENTS_COUNT, value: 'span events the sender dropped' },
      { name: ATTR_OTEL_DROPPED_LINKS_COUNT, value: 'span links the sender or the collector dropped' },
    ],
  },
];

/** The reference as Markdown, exactly as docs/sending-telemetry.md holds it between its markers. */
export function renderAttributeReference(): string {
  const out: string[] = [];
  for (const kind of SPAN_REFERENCE) {
    out.push(`### ${kind.title}`, '');
    out.push(`Recognised by ${kind.recognisedBy}; SpanKind ${kind.spanKind === 'any' ? 'any' : kind.spanKind}.`, '');
    out.push('| attribute | value |', '|---|---|');
    for (const a of kind.attributes) out.push(`| \`${a.name}\`${a.required ? ' (required)' : ''} | ${a.value} |`);
    out.push('');
    if (kind.notes) out.push(kind.notes, '');
  }
  out.push('### Whose call it is', '', 'The collector takes the first of:', '');
  USER_ATTRIBUTION_ORDER.forEach((step, i) => {
    out.push(`${i + 1}. ${step};`);
  });
  out.push('');
  return out.join('\n');
}
