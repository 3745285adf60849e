/**
 * Tool-call traces: a `tool_call` root with credential and validation steps,
 * provider requests (paginated, sometimes rate-limited or failing) and a mapping step.
 */
import {
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
  ATTR_SERVER_ADDRESS,
  ATTR_TOOL_CALL_TYPE,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_USER_ID,
  EXCEPTION_EVENT_NAME,
  GEN_AI_OPERATION_EXECUTE_TOOL,
} from '@tooltrace/conventions';
import { PROVIDER_ERRORS } from './catalog.ts';
import type { Rng } from './rng.ts';
import {
  type Attrs,
  type ModelLogRecord,
  type ModelSpan,
  type ModelTrace,
  newSpan,
  type TraceContext,
} from './trace-model.ts';

const TOOL_CALL_ERROR_RATE = 0.08;
const LIST_TOOLS_RATE = 0.15;

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

export function toolCallTrace(ctx: TraceContext): ModelTrace {
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
