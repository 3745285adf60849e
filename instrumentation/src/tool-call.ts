/**
 * Tool calls (DESIGN §3): one root span per list/run request whose trace ID is
 * the request ID the caller sees.
 */
import { type Attributes, type Context, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_CODE,
  ATTR_ERROR_MESSAGE,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_INTEGRATION,
  ATTR_KIND,
  ATTR_TOOL_CALL_TYPE,
  ATTR_USER_ID,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  type ToolCallType,
  toRequestId,
} from '@tooltrace/conventions';
import { ActionKitError, attachRequestId } from './errors.ts';
import { toAttributeText, tracer } from './settings.ts';

export interface ToolCallInfo {
  type: ToolCallType;
  /** Required for `run_tool`, e.g. `SLACK_SEND_MESSAGE`. */
  toolName?: string;
  integration?: string;
  /** The connected user's ID in the customer's app. */
  userId: string;
  /** Tool parameters; recorded as JSON text (capped, redacted). */
  parameters?: unknown;
}

export interface ToolCallResult<T> {
  result: T;
  /** The trace ID as a UUID; null only when no tracer provider is registered. */
  requestId: string | null;
}

export function toolCallSpanName(info: ToolCallInfo): string {
  return info.type === 'run_tool' && info.toolName ? `run_tool ${info.toolName}` : info.type;
}

export function toolCallAttributes(info: ToolCallInfo): Attributes {
  if (info.type !== 'list_tools' && info.type !== 'run_tool') {
    throw new TypeError(`tool call type must be 'list_tools' or 'run_tool', got ${JSON.stringify(info.type)}`);
  }
  const attributes: Attributes = {
    [ATTR_KIND]: 'tool_call',
    [ATTR_TOOL_CALL_TYPE]: info.type,
    [ATTR_USER_ID]: info.userId,
  };
  if (info.integration) attributes[ATTR_INTEGRATION] = info.integration;
  if (info.type === 'run_tool') {
    attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_EXECUTE_TOOL;
    if (info.toolName) attributes[ATTR_GEN_AI_TOOL_NAME] = info.toolName;
  }
  if (info.parameters !== undefined) attributes[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] = toAttributeText(info.parameters);
  return attributes;
}

/** Starts (does not activate) a tool-call root span; `parent` may hold a remote `traceparent`. */
export function startToolCallSpan(info: ToolCallInfo, parent: Context, extra: Attributes = {}): Span {
  return tracer().startSpan(
    toolCallSpanName(info),
    { kind: SpanKind.SERVER, attributes: { ...toolCallAttributes(info), ...extra } },
    parent,
  );
}

/** The UUID request ID of a span, or null for a non-recording span without a valid trace. */
export function requestIdOfSpan(span: Span): string | null {
  const spanContext = span.spanContext();
  return trace.isSpanContextValid(spanContext) ? toRequestId(spanContext.traceId) : null;
}

/** Marks `span` as a failed tool call: status, `error.type`, `tooltrace.error.code/message`, exception event. */
export function recordToolCallError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  const message =
    err instanceof ActionKitError && err.details !== undefined
      ? JSON.stringify({ message: err.message, details: err.details })
      : err.message;
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute(ATTR_ERROR_TYPE, err.name || 'Error');
  span.setAttribute(ATTR_ERROR_MESSAGE, message);
  const code = errorCodeOf(err);
  if (code !== undefined) span.setAttribute(ATTR_ERROR_CODE, code);
  if (err instanceof ActionKitError) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, err.status);
}

function errorCodeOf(err: Error): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/**
 * Runs `fn` as a tool call: a new trace, or a child of the active span (an
 * agent's trace may hold several tool calls, DESIGN §3), with the tool-call span active so provider requests and logs nest under it.
 * On failure the span records the error and the error is rethrown carrying the
 * request ID (`requestIdOf(err)`, `err.requestId`).
 */
export async function traceToolCall<T>(info: ToolCallInfo, fn: () => T | Promise<T>): Promise<ToolCallResult<T>> {
  const span = startToolCallSpan(info, context.active());
  const requestId = requestIdOfSpan(span);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), fn);
    return { result, requestId };
  } catch (error) {
    recordToolCallError(span, error);
    throw requestId ? attachRequestId(error, requestId) : error;
  } finally {
    span.end();
  }
}
