/**
 * Trace models: what an instrumented ActionKit-style service would emit, as
 * plain data (no OpenTelemetry objects), encoded as OTLP protobuf by `otlp.ts`.
 * Everything is drawn from a seeded {@link Rng}: same seed, same traces.
 */
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_DELIVERY_FINAL,
  ATTR_DELIVERY_ID,
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
  ATTR_SERVER_ADDRESS,
  ATTR_TOOL_CALL_TYPE,
  ATTR_TRIGGER_EVENT_ID,
  ATTR_TRIGGER_ID,
  ATTR_TRIGGER_NAME,
  ATTR_TRIGGER_RECORDS_NEW,
  ATTR_TRIGGER_RECORDS_UPDATED,
  ATTR_TRIGGER_SUBSCRIPTION_ACTION,
  ATTR_TRIGGER_SUBSCRIPTION_MODEL,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_USER_ID,
  ATTR_WEBHOOK_CREATE_FINAL,
  EXCEPTION_EVENT_NAME,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  type SubscriptionModel,
  type TooltraceSpanKind,
} from '@tooltrace/conventions';
import { INTEGRATIONS, INTERNAL_STEPS, type IntegrationSpec, PROVIDER_ERRORS, WEBHOOK_URLS } from './catalog.ts';
import { Rng } from './rng.ts';

export type AttrValue = string | number | boolean;
export type Attrs = Record<string, AttrValue>;

export type ModelSpanKind = 'server' | 'client' | 'internal' | 'consumer';

export interface ModelEvent {
  name: string;
  /** Epoch microseconds: fits a double exactly and gives sub-millisecond order. */
  timeUs: number;
  attributes: Attrs;
}

export interface ModelSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  spanKind: ModelSpanKind;
  kind: TooltraceSpanKind;
  startUs: number;
  durationUs: number;
  attributes: Attrs;
  /** Span status ERROR. */
  error: boolean;
  statusMessage: string | null;
  events: ModelEvent[];
}

export type ModelSeverity = 'INFO' | 'WARN' | 'ERROR';

export interface ModelLogRecord {
  traceId: string;
  spanId: string;
  timeUs: number;
  severity: ModelSeverity;
  body: string;
  attributes: Attrs;
}

export type ModelTraceKind = 'tool_call' | 'trigger_event' | 'trigger_subscription';

export interface ModelTrace {
  traceId: string;
  kind: ModelTraceKind;
  startUs: number;
  spans: ModelSpan[];
  logRecords: ModelLogRecord[];
}

export interface TraceGeneratorOptions {
  seed: number;
  /** Traces start between these epoch-ms times, in order. */
  fromMs: number;
  toMs: number;
  /** How many traces the caller means to take; spaces start times so they span the window. */
  expectedTraces: number;
  /** Distinct connected users (facet cardinality). Default 400. */
  users?: number;
}

/** Share of each kind of trace, like a busy ActionKit project. */
const MIX = { toolCall: 0.7, triggerEvent: 0.27 } as const;
const TOOL_CALL_ERROR_RATE = 0.08;
const LIST_TOOLS_RATE = 0.15;

/** Endless, ordered by start time; the caller stops when it has enough. */
export function* generateTraces(options: TraceGeneratorOptions): Generator<ModelTrace> {
  const rng = new Rng(options.seed);
  const users = options.users ?? 400;
  const stepMs = (options.toMs - options.fromMs) / Math.max(1, options.expectedTraces);
  const totalWeight = INTEGRATIONS.reduce((sum, i) => sum + i.weight, 0);
  const pickIntegration = (): IntegrationSpec => {
    let r = rng.next() * totalWeight;
    for (const integration of INTEGRATIONS) {
      r -= integration.weight;
      if (r < 0) return integration;
    }
    return INTEGRATIONS[0]!;
  };
  for (let i = 0; ; i++) {
    const startMs = options.fromMs + (i + rng.next()) * stepMs;
    const roll = rng.next();
    const traceKind: ModelTraceKind =
      roll < MIX.toolCall
        ? 'tool_call'
        : roll < MIX.toolCall + MIX.triggerEvent
          ? 'trigger_event'
          : 'trigger_subscription';
    const ctx: TraceContext = {
      rng,
      traceId: rng.hex(32),
      startUs: Math.floor(startMs * 1000),
      integration: pickIntegration(),
      userId: `user_${String(rng.int(1, users)).padStart(5, '0')}`,
    };
    if (traceKind === 'tool_call') yield toolCallTrace(ctx);
    else if (traceKind === 'trigger_event') yield triggerEventTrace(ctx);
    else yield subscriptionTrace(ctx);
  }
}

interface TraceContext {
  rng: Rng;
  traceId: string;
  startUs: number;
  integration: IntegrationSpec;
  userId: string;
}

function newSpan(
  ctx: TraceContext,
  parent: ModelSpan | null,
  fields: Pick<ModelSpan, 'name' | 'spanKind' | 'kind' | 'startUs' | 'durationUs' | 'attributes'> &
    Partial<Pick<ModelSpan, 'error' | 'statusMessage'>>,
): ModelSpan {
  return {
    traceId: ctx.traceId,
    spanId: ctx.rng.hex(16),
    parentSpanId: parent?.spanId ?? null,
    error: false,
    statusMessage: null,
    events: [],
    ...fields,
    attributes: { [ATTR_KIND]: fields.kind, [ATTR_INTEGRATION]: ctx.integration.name, ...fields.attributes },
  };
}

function toolArguments(rng: Rng, toolName: string): string {
  const args: Record<string, unknown> = {
    channel: `C0${rng.hex(8).toUpperCase()}`,
    text: rng.text(rng.int(40, 600)),
    metadata: { source: 'agent', conversationId: rng.hex(24), tool: toolName },
  };
  if (rng.chance(0.4))
    args.fields = Object.fromEntries(Array.from({ length: rng.int(2, 12) }, (_, k) => [`f${k}`, rng.text(30)]));
  return JSON.stringify(args);
}

function providerErrorBody(rng: Rng, error: (typeof PROVIDER_ERRORS)[number]): string {
  return JSON.stringify({
    ok: false,
    error: error.detail,
    message: error.message,
    details: { err: error.detail, ECODE: error.ecode, hint: rng.text(rng.int(120, 1200)) },
    request_id: rng.hex(20),
  });
}

function stacktrace(rng: Rng, type: string, message: string): string {
  const frames = Array.from(
    { length: rng.int(6, 14) },
    () =>
      `    at ${rng.pick(['ProviderClient.request', 'runTool', 'mapResult', 'withRetry', 'handle'])} (/app/dist/${rng.pick(['actionkit', 'providers', 'runtime'])}/${rng.hex(6)}.js:${rng.int(10, 900)}:${rng.int(3, 60)})`,
  );
  return `${type}: ${message}\n${frames.join('\n')}`;
}

function toolCallTrace(ctx: TraceContext): ModelTrace {
  const { rng, integration } = ctx;
  const listTools = rng.chance(LIST_TOOLS_RATE);
  const tool = rng.pick(integration.tools);
  const toolName = listTools ? null : tool.name;
  const failure = rng.chance(TOOL_CALL_ERROR_RATE) ? rng.pick(PROVIDER_ERRORS) : null;
  const childCount = rng.int(3, 8);

  const steps: string[] = ['load_credentials'];
  if (childCount >= 6 && rng.chance(0.5)) steps.push('refresh_oauth_token');
  if (childCount >= 4) steps.push('validate_parameters');
  let providerCount = childCount - steps.length - 1;
  // Long paginations sometimes hit the provider's rate limit; the wait takes one of the child slots.
  const waitBefore = providerCount >= 3 && rng.chance(0.3) ? rng.int(1, providerCount - 2) : -1;
  if (waitBefore >= 0) providerCount--;

  const root = newSpan(ctx, null, {
    name: listTools ? 'list_tools' : `run_tool ${tool.name}`,
    spanKind: 'server',
    kind: 'tool_call',
    startUs: ctx.startUs,
    durationUs: 0,
    attributes: {
      [ATTR_TOOL_CALL_TYPE]: listTools ? 'list_tools' : 'run_tool',
      [ATTR_USER_ID]: ctx.userId,
      [ATTR_HTTP_REQUEST_METHOD]: listTools ? 'GET' : 'POST',
      [ATTR_URL_PATH]: listTools ? '/projects/7c1f0e4a/actionkit/tools' : '/projects/7c1f0e4a/actionkit/tools/run',
      ...(toolName
        ? {
            [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_EXECUTE_TOOL,
            [ATTR_GEN_AI_TOOL_NAME]: toolName,
            [ATTR_GEN_AI_TOOL_CALL_ID]: `call_${rng.hex(24)}`,
            [ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: toolArguments(rng, toolName),
          }
        : {}),
    },
  });
  const spans: ModelSpan[] = [root];
  const logRecords: ModelLogRecord[] = [];
  let cursorUs = ctx.startUs + rng.int(100, 900);

  const internal = (step: string): ModelSpan => {
    const durationUs = step === 'rate_limit_wait' ? rng.int(50_000, 400_000) : rng.int(80, 6_000);
    const span = newSpan(ctx, root, {
      name: step,
      spanKind: 'internal',
      kind: 'internal',
      startUs: cursorUs,
      durationUs,
      attributes: step === 'load_credentials' ? { 'tooltrace.credential.id': `cred_${rng.hex(12)}` } : {},
    });
    if (step === 'load_credentials') {
      span.events.push({
        name: rng.chance(0.8) ? 'credentials.cache_hit' : 'credentials.cache_miss',
        timeUs: cursorUs + Math.floor(durationUs / 2),
        attributes: { 'tooltrace.credential.age_s': rng.int(1, 3600) },
      });
    }
    cursorUs += durationUs + rng.int(20, 400);
    spans.push(span);
    return span;
  };

  for (const step of steps) internal(step);
  for (let p = 0; p < providerCount; p++) {
    const last = p === providerCount - 1;
    const error = last ? failure : null;
    if (p === waitBefore) internal('rate_limit_wait');
    const host = new URL(integration.apiBase).host;
    const query = tool.method === 'GET' ? `?limit=100&cursor=${rng.hex(16)}` : '';
    const durationUs = rng.int(40_000, 900_000);
    const httpStatus = error ? error.http : tool.method === 'POST' ? 201 : 200;
    const attributes: Attrs = {
      [ATTR_HTTP_REQUEST_METHOD]: listTools ? 'GET' : tool.method,
      [ATTR_URL_FULL]: `${integration.apiBase}${tool.path}${query}`,
      [ATTR_SERVER_ADDRESS]: host,
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: httpStatus,
    };
    // The SDK may send bodies on successful requests too; the collector must drop those (DESIGN §3).
    if (error) attributes[ATTR_HTTP_RESPONSE_BODY] = providerErrorBody(rng, error);
    else if (rng.chance(0.2)) attributes[ATTR_HTTP_RESPONSE_BODY] = JSON.stringify({ ok: true, data: rng.text(300) });
    if (error) attributes[ATTR_ERROR_TYPE] = String(error.http);
    const span = newSpan(ctx, root, {
      name: `${listTools ? 'GET' : tool.method} ${host}`,
      spanKind: 'client',
      kind: 'provider_request',
      startUs: cursorUs,
      durationUs,
      attributes,
      error: error !== null,
      statusMessage: error ? `${error.http} ${error.message}` : null,
    });
    if (!last && providerCount > 1) {
      span.events.push({
        name: 'pagination.next_page',
        timeUs: cursorUs + durationUs - 50,
        attributes: { page: p + 2 },
      });
    }
    if (error) {
      const type = 'ProviderRequestError';
      const exception: Attrs = {
        [ATTR_EXCEPTION_TYPE]: type,
        [ATTR_EXCEPTION_MESSAGE]: `${error.message}: ${error.detail}`,
        [ATTR_EXCEPTION_STACKTRACE]: stacktrace(rng, type, error.message),
      };
      // Both exception conventions occur in the wild: span events and (newer) log records.
      if (rng.chance(0.5))
        span.events.push({ name: EXCEPTION_EVENT_NAME, timeUs: cursorUs + durationUs, attributes: exception });
      else
        logRecords.push({
          traceId: ctx.traceId,
          spanId: span.spanId,
          timeUs: cursorUs + durationUs,
          severity: 'ERROR',
          body: `${error.message}: ${error.detail}`,
          attributes: exception,
        });
    }
    cursorUs += durationUs + rng.int(50, 800);
    spans.push(span);
  }
  internal('map_result');

  root.durationUs = cursorUs - ctx.startUs + rng.int(100, 600);
  root.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = failure ? Math.min(failure.http, 500) : 200;
  if (failure) {
    root.error = true;
    root.statusMessage = failure.message;
    root.attributes[ATTR_ERROR_TYPE] = 'ProviderRequestError';
    root.attributes[ATTR_ERROR_CODE] = failure.code;
    root.attributes[ATTR_ERROR_MESSAGE] = JSON.stringify({
      message: failure.message,
      details: { err: failure.detail, ECODE: failure.ecode },
    });
  }
  logRecords.push({
    traceId: ctx.traceId,
    spanId: root.spanId,
    timeUs: ctx.startUs + 50,
    severity: 'INFO',
    body: `tool call received from agent for ${toolName ?? 'list_tools'}`,
    attributes: { 'tooltrace.agent.sdk': rng.pick(['ai-sdk', 'langchain', 'openai-agents', 'mcp']) },
  });
  return { traceId: ctx.traceId, kind: 'tool_call', startUs: ctx.startUs, spans, logRecords };
}

const triggerIds = new Map<string, string>();
/** A trigger's ID is stable per trigger name, like a real subscription catalogue. */
function triggerIdFor(name: string): string {
  let id = triggerIds.get(name);
  if (!id) {
    let h = 2166136261;
    for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    id = `trg_${(h >>> 0).toString(16).padStart(8, '0')}`;
    triggerIds.set(name, id);
  }
  return id;
}

function triggerEventTrace(ctx: TraceContext): ModelTrace {
  const { rng, integration } = ctx;
  const triggerName = rng.pick(integration.triggers);
  const model: SubscriptionModel = rng.chance(0.6) ? 'POLLING' : 'WEBHOOK';
  const eventId = `evt_${rng.hex(24)}`;
  const processingFails = rng.chance(0.03);
  const root = newSpan(ctx, null, {
    name: `trigger_event ${triggerName}`,
    spanKind: 'consumer',
    kind: 'trigger_event',
    startUs: ctx.startUs,
    durationUs: 0,
    attributes: {
      [ATTR_TRIGGER_EVENT_ID]: eventId,
      [ATTR_TRIGGER_ID]: triggerIdFor(triggerName),
      [ATTR_TRIGGER_NAME]: triggerName,
      [ATTR_TRIGGER_SUBSCRIPTION_MODEL]: model,
      [ATTR_USER_ID]: ctx.userId,
    },
  });
  const spans: ModelSpan[] = [root];
  const logRecords: ModelLogRecord[] = [];
  let cursorUs = ctx.startUs + rng.int(100, 900);

  const detectionUs = rng.int(5_000, 400_000);
  spans.push(
    model === 'POLLING'
      ? newSpan(ctx, root, {
          name: 'trigger_poll',
          spanKind: 'internal',
          kind: 'trigger_poll',
          startUs: cursorUs,
          durationUs: detectionUs,
          attributes: { [ATTR_TRIGGER_RECORDS_NEW]: rng.int(0, 20), [ATTR_TRIGGER_RECORDS_UPDATED]: rng.int(0, 40) },
        })
      : newSpan(ctx, root, {
          name: 'trigger_webhook_received',
          spanKind: 'server',
          kind: 'trigger_webhook_received',
          startUs: cursorUs,
          durationUs: detectionUs,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: 'POST',
            [ATTR_URL_PATH]: `/webhooks/${integration.name}/${rng.hex(12)}`,
          },
        }),
  );
  cursorUs += detectionUs;
  logRecords.push({
    traceId: ctx.traceId,
    spanId: root.spanId,
    timeUs: cursorUs,
    severity: 'INFO',
    body: `${triggerName} event detected`,
    attributes: {
      'tooltrace.trigger.payload': JSON.stringify({ id: rng.hex(18), summary: rng.text(rng.int(80, 500)) }),
    },
  });

  const mapUs = rng.int(200, 8_000);
  const mapping = newSpan(ctx, root, {
    name: 'map_records',
    spanKind: 'internal',
    kind: 'internal',
    startUs: cursorUs,
    durationUs: mapUs,
    attributes: {},
    error: processingFails,
    statusMessage: processingFails ? 'record mapping failed: unexpected null in required field' : null,
  });
  spans.push(mapping);
  cursorUs += mapUs;
  root.durationUs = cursorUs - ctx.startUs + rng.int(100, 500);

  if (!processingFails) {
    const deliveries = rng.int(1, 4);
    for (let d = 0; d < deliveries; d++) {
      const deliveryId = `dlv_${rng.hex(20)}`;
      const webhookUrl = rng.pick(WEBHOOK_URLS);
      const roll = rng.next();
      // 85% succeed first time, 9% after a retry, 4% fail for good, 2% still pending a retry.
      const outcomes: boolean[] =
        roll < 0.85 ? [true] : roll < 0.94 ? [false, true] : roll < 0.98 ? [false, false, false] : [false];
      const pendingRetry = roll >= 0.98;
      // Deliveries start after the root ended, attempts minutes apart (a child may start after its parent ended).
      let attemptUs = cursorUs + rng.int(1_000, 50_000);
      outcomes.forEach((ok, a) => {
        const final = ok || (a === outcomes.length - 1 && !pendingRetry);
        const httpStatus = ok ? 200 : rng.pick([500, 502, 503, 504, 410, 404]);
        const durationUs = rng.int(20_000, 1_500_000);
        const span = newSpan(ctx, root, {
          name: 'trigger_delivery',
          spanKind: 'client',
          kind: 'trigger_delivery',
          startUs: attemptUs,
          durationUs,
          attributes: {
            [ATTR_DELIVERY_ID]: deliveryId,
            [ATTR_DELIVERY_ATTEMPT]: a + 1,
            [ATTR_DELIVERY_FINAL]: final,
            [ATTR_URL_FULL]: webhookUrl,
            [ATTR_USER_ID]: ctx.userId,
            [ATTR_HTTP_RESPONSE_STATUS_CODE]: httpStatus,
          },
          error: !ok,
          statusMessage: ok ? null : `webhook answered ${httpStatus}`,
        });
        if (!final)
          span.events.push({
            name: 'delivery.retry_scheduled',
            timeUs: attemptUs + durationUs,
            attributes: { 'retry.delay_ms': 60_000 * 2 ** a },
          });
        spans.push(span);
        attemptUs += durationUs + 60_000_000 * 2 ** a;
      });
    }
  }
  return { traceId: ctx.traceId, kind: 'trigger_event', startUs: ctx.startUs, spans, logRecords };
}

function subscriptionTrace(ctx: TraceContext): ModelTrace {
  const { rng, integration } = ctx;
  const triggerName = rng.pick(integration.triggers);
  const failsForGood = rng.chance(0.1);
  const root = newSpan(ctx, null, {
    name: `trigger_subscription ${triggerName}`,
    spanKind: 'server',
    kind: 'trigger_subscription',
    startUs: ctx.startUs,
    durationUs: 0,
    attributes: {
      [ATTR_TRIGGER_EVENT_ID]: `sub_${rng.hex(24)}`,
      [ATTR_TRIGGER_ID]: triggerIdFor(triggerName),
      [ATTR_TRIGGER_NAME]: triggerName,
      [ATTR_TRIGGER_SUBSCRIPTION_MODEL]: 'WEBHOOK',
      [ATTR_TRIGGER_SUBSCRIPTION_ACTION]: 'subscribe',
      [ATTR_USER_ID]: ctx.userId,
    },
  });
  const spans: ModelSpan[] = [root];
  let cursorUs = ctx.startUs + rng.int(100, 900);
  const attempts = failsForGood ? 2 : rng.chance(0.1) ? 2 : 1;
  for (let a = 0; a < attempts; a++) {
    const last = a === attempts - 1;
    const ok = last && !failsForGood;
    const durationUs = rng.int(80_000, 900_000);
    spans.push(
      newSpan(ctx, root, {
        name: 'trigger_webhook_create',
        spanKind: 'client',
        kind: 'trigger_webhook_create',
        startUs: cursorUs,
        durationUs,
        attributes: {
          [ATTR_WEBHOOK_CREATE_FINAL]: last,
          [ATTR_HTTP_REQUEST_METHOD]: 'POST',
          [ATTR_URL_FULL]: `${integration.apiBase}/webhooks`,
          [ATTR_HTTP_RESPONSE_STATUS_CODE]: ok ? 201 : 403,
        },
        error: !ok,
        statusMessage: ok ? null : 'webhook creation refused: missing scope',
      }),
    );
    cursorUs += durationUs + rng.int(500, 5_000);
  }
  spans.push(
    newSpan(ctx, root, {
      name: INTERNAL_STEPS[0],
      spanKind: 'internal',
      kind: 'internal',
      startUs: cursorUs,
      durationUs: rng.int(100, 3_000),
      attributes: {},
    }),
  );
  root.durationUs = cursorUs - ctx.startUs + 4_000;
  return { traceId: ctx.traceId, kind: 'trigger_subscription', startUs: ctx.startUs, spans, logRecords: [] };
}
