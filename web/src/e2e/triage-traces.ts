/**
 * Crafted traces for the triage end-to-end tests, sent as OTLP/JSON to the real collector: an agent
 * trace with three tool calls (the middle one a Slack call whose token was revoked and whose OAuth
 * refresh then got 400 at /oauth/token), as an agent framework instrumented with OpenTelemetry sends them.
 */
import { randomBytes } from 'node:crypto';
import { attribute, postSpans } from './otlp.ts';

const id = (bytes: number) => randomBytes(bytes).toString('hex');

export interface AgentTrace {
  traceId: string;
  calls: { toolName: string; spanId: string }[];
  slackSpanId: string;
  /** The OAuth refresh request that got 400: the Slack call's root cause. */
  refreshProviderSpanId: string;
}

export async function sendAgentTrace(
  collectorUrl: string,
  ingestKey: string,
  userId: string,
  /** How long ago the trace started; an earlier trace of the same user is the Slack call's last success. */
  agoMs = 60_000,
  /** Whether the Slack call fails (with a revoked token) or succeeds. */
  slackFails = true,
): Promise<AgentTrace> {
  const traceId = id(16);
  const rootSpanId = id(8);
  const t0 = BigInt(Date.now() - agoMs) * 1_000_000n;
  const at = (ms: number) => String(t0 + BigInt(ms) * 1_000_000n);
  const span = (
    name: string,
    parentSpanId: string,
    fromMs: number,
    toMs: number,
    attrs: [string, string | number][],
    error = false,
    kind = 1,
  ) => ({
    traceId,
    spanId: id(8),
    parentSpanId,
    name,
    kind,
    startTimeUnixNano: at(fromMs),
    endTimeUnixNano: at(toMs),
    attributes: attrs.map(([k, v]) => attribute(k, v)),
    status: { code: error ? 2 : 1 },
  });
  const tool = (toolName: string, integration: string, fromMs: number, toMs: number, error = false) =>
    span(
      `execute_tool ${toolName}`,
      rootSpanId,
      fromMs,
      toMs,
      [
        ['gen_ai.operation.name', 'execute_tool'],
        ['gen_ai.tool.name', toolName],
        ['gen_ai.tool.call.id', `call_${toolName}`],
        ['gen_ai.tool.call.arguments', JSON.stringify({ query: 'acme', channel: error ? '#deals' : '#general' })],
        ['tooltrace.integration', integration],
        ['user.id', userId],
        ['http.response.status_code', error ? 401 : 200],
        ...(error
          ? ([
              ['tooltrace.error.code', '41010'],
              ['tooltrace.error.message', 'Unable to post a message'],
            ] as [string, string][])
          : []),
      ],
      error,
    );
  const root = {
    ...span('invoke_agent deal-desk', '', 0, 2000, [['gen_ai.operation.name', 'invoke_agent']]),
    spanId: rootSpanId,
  };
  const hubspot = tool('HUBSPOT_SEARCH_CONTACTS', 'hubspot', 10, 400);
  const slack = tool('SLACK_SEND_MESSAGE', 'slack', 500, 1200, slackFails);
  const gmail = tool('GMAIL_SEND_EMAIL', 'gmail', 1300, 1900);
  const provider = (parent: string, fromMs: number, method: string, url: string, status: number, body: string) =>
    span(
      `${method}`,
      parent,
      fromMs,
      fromMs + 120,
      [
        ['tooltrace.kind', 'provider_request'],
        ['http.request.method', method],
        ['url.full', url],
        ['server.address', new URL(url).host],
        ['http.response.status_code', status],
        ['tooltrace.http.response.body', body],
      ],
      true,
      3,
    );
  const refresh = span('refresh oauth token', slack.spanId, 700, 900, [['tooltrace.kind', 'internal']], true);
  const refreshRequest = provider(
    refresh.spanId,
    720,
    'POST',
    'https://slack.com/api/oauth.v2.access',
    400,
    '{"ok":false,"error":"invalid_grant","error_description":"Refresh token has been revoked"}',
  );
  const failed = [
    provider(
      slack.spanId,
      520,
      'POST',
      'https://slack.com/api/chat.postMessage',
      200,
      '{"ok":false,"error":"token_revoked"}',
    ),
    refresh,
    refreshRequest,
  ];
  const succeeded = [
    { ...provider(slack.spanId, 520, 'POST', 'https://slack.com/api/chat.postMessage', 200, ''), status: { code: 1 } },
  ];
  await postSpans(collectorUrl, ingestKey, [root, hubspot, slack, gmail, ...(slackFails ? failed : succeeded)]);
  return {
    traceId,
    slackSpanId: slack.spanId,
    refreshProviderSpanId: refreshRequest.spanId,
    calls: [
      { toolName: 'HUBSPOT_SEARCH_CONTACTS', spanId: hubspot.spanId },
      { toolName: 'SLACK_SEND_MESSAGE', spanId: slack.spanId },
      { toolName: 'GMAIL_SEND_EMAIL', spanId: gmail.spanId },
    ],
  };
}

/** A trigger event whose processing failed before any delivery (the root span in ERROR). */
export async function sendFailedTriggerEvent(collectorUrl: string, ingestKey: string): Promise<string> {
  const eventId = `evt_triage_${id(6)}`;
  const start = BigInt(Date.now() - 30_000) * 1_000_000n;
  await postSpans(collectorUrl, ingestKey, [
    {
      traceId: id(16),
      spanId: id(8),
      name: 'trigger_event HUBSPOT_DEAL_CREATED',
      kind: 1,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 80_000_000n),
      attributes: [
        attribute('tooltrace.kind', 'trigger_event'),
        attribute('tooltrace.trigger.event_id', eventId),
        attribute('tooltrace.trigger.id', 'trg_triage'),
        attribute('tooltrace.trigger.name', 'HUBSPOT_DEAL_CREATED'),
        attribute('tooltrace.trigger.subscription_model', 'WEBHOOK'),
        attribute('tooltrace.integration', 'hubspot'),
        attribute('user.id', 'triage-e2e-user'),
      ],
      status: { code: 2, message: 'mapping failed: unknown deal stage' },
    },
  ]);
  return eventId;
}

/** A subscription whose webhook creation failed for good; its trace ID is its event ID. */
export async function sendFailedSubscription(collectorUrl: string, ingestKey: string): Promise<string> {
  const traceId = id(16);
  const rootSpanId = id(8);
  const start = BigInt(Date.now() - 20_000) * 1_000_000n;
  await postSpans(collectorUrl, ingestKey, [
    {
      traceId,
      spanId: rootSpanId,
      name: 'trigger_subscription SALESFORCE_RECORD_CREATED',
      kind: 1,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 400_000_000n),
      attributes: [
        attribute('tooltrace.kind', 'trigger_subscription'),
        attribute('tooltrace.trigger.id', 'trg_triage_sub'),
        attribute('tooltrace.trigger.name', 'SALESFORCE_RECORD_CREATED'),
        attribute('tooltrace.integration', 'salesforce'),
        attribute('user.id', 'triage-e2e-user'),
      ],
      status: { code: 2 },
    },
    {
      traceId,
      spanId: id(8),
      parentSpanId: rootSpanId,
      name: 'trigger_webhook_create',
      kind: 3,
      startTimeUnixNano: String(start + 10_000_000n),
      endTimeUnixNano: String(start + 300_000_000n),
      attributes: [
        attribute('tooltrace.kind', 'trigger_webhook_create'),
        attribute('tooltrace.webhook_create.final', 'true'),
        attribute('http.response.status_code', 403),
      ],
      status: { code: 2 },
    },
  ]);
  return traceId;
}

/** A trigger event delivered to one webhook per outcome: `true` answered 200, `false` 500 on its final attempt. */
export async function sendDeliveredTriggerEvent(
  collectorUrl: string,
  ingestKey: string,
  outcomes: boolean[],
): Promise<string> {
  const eventId = `evt_triage_${id(6)}`;
  const traceId = id(16);
  const rootSpanId = id(8);
  const start = BigInt(Date.now() - 10_000) * 1_000_000n;
  const delivery = (succeeded: boolean, index: number) => ({
    traceId,
    spanId: id(8),
    parentSpanId: rootSpanId,
    name: 'trigger_delivery',
    kind: 3,
    startTimeUnixNano: String(start + BigInt(index + 1) * 10_000_000n),
    endTimeUnixNano: String(start + BigInt(index + 1) * 10_000_000n + 5_000_000n),
    attributes: [
      attribute('tooltrace.kind', 'trigger_delivery'),
      attribute('tooltrace.delivery.id', `dlv_${id(6)}`),
      attribute('tooltrace.delivery.attempt', 1),
      attribute('tooltrace.delivery.final', 'true'),
      attribute('url.full', `https://customer-${index}.example/webhook`),
      attribute('http.response.status_code', succeeded ? 200 : 500),
      attribute('user.id', `triage-e2e-subscriber-${index}`),
    ],
    status: { code: succeeded ? 1 : 2 },
  });
  await postSpans(collectorUrl, ingestKey, [
    {
      traceId,
      spanId: rootSpanId,
      name: 'trigger_event SLACK_MESSAGE_RECEIVED',
      kind: 1,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 5_000_000n),
      attributes: [
        attribute('tooltrace.kind', 'trigger_event'),
        attribute('tooltrace.trigger.event_id', eventId),
        attribute('tooltrace.trigger.id', 'trg_triage_fanout'),
        attribute('tooltrace.trigger.name', 'SLACK_MESSAGE_RECEIVED'),
        attribute('tooltrace.trigger.subscription_model', 'WEBHOOK'),
        attribute('tooltrace.integration', 'slack'),
      ],
    },
    ...outcomes.map(delivery),
  ]);
  return eventId;
}
