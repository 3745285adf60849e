/**
 * What the mapper needs to know about one span, read once: its tooltrace
 * kind, HTTP status, error state, times, and whether it is a tool call in any
 * of the three forms DESIGN §3 recognises.
 */
import {
  ATTR_ERROR_CODE,
  ATTR_ERROR_MESSAGE,
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_KIND,
  ATTR_MCP_METHOD_NAME,
  ATTR_SERVICE_NAME,
  ATTR_TOOL_CALL_TYPE,
  EXCEPTION_EVENT_NAME,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  isTooltraceSpanKind,
  MCP_METHOD_TOOLS_CALL,
  MCP_METHOD_TOOLS_LIST,
  TOOL_CALL_TYPES,
  type ToolCallType,
  type TooltraceSpanKind,
} from '@tooltrace/conventions';
import { type OtlpAttributes, type OtlpSpan, SPAN_KIND } from '../otlp/types.ts';
import { attrInt, attrString } from './attributes.ts';
import { isErrorSpan } from './levels.ts';
import { durationMs, firstKnownTime, nanosToMs } from './time.ts';

/** JSON-RPC error code on MCP spans (MCP semantic conventions). */
const ATTR_JSONRPC_ERROR_CODE = 'rpc.jsonrpc.error_code';

export interface SpanView {
  span: OtlpSpan;
  attrs: OtlpAttributes;
  resource: OtlpAttributes;
  serviceName: string | null;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** `tooltrace.kind`, or `tool_call` for MCP / gen_ai tool-call spans; null otherwise. */
  kind: TooltraceSpanKind | null;
  toolCallType: ToolCallType | null;
  httpStatus: number | null;
  isError: boolean;
  startNanos: string;
  /** Epoch ms of the start: what facts carry. */
  startMs: number;
  /** As sent: negative when the span ends before it starts. */
  durationMs: number;
  /** What the ToolCall/Delivery summaries show: never negative (the span's log keeps the value as sent). */
  recordDurationMs: number;
  /** Start of the span's log in its ID: the sent start (not the receive-time stand-in), so a re-send maps alike. */
  logKey: string;
}

export function viewSpan(
  span: OtlpSpan,
  resource: OtlpAttributes,
  parentSpanId: string | null,
  receivedAtNanos: string,
): SpanView {
  const attrs = span.attributes;
  const explicitKind = attrs[ATTR_KIND];
  const toolCallType = detectToolCall(span);
  const kind = isTooltraceSpanKind(explicitKind) ? explicitKind : toolCallType ? 'tool_call' : null;
  const httpStatus = attrInt(attrs, ATTR_HTTP_RESPONSE_STATUS_CODE);
  const startNanos = firstKnownTime(receivedAtNanos, span.startTimeUnixNano, span.endTimeUnixNano);
  const endNanos = span.endTimeUnixNano === '0' ? startNanos : span.endTimeUnixNano;
  const duration = durationMs(startNanos, endNanos);
  return {
    span,
    attrs,
    resource,
    serviceName: attrString(resource, ATTR_SERVICE_NAME),
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId,
    kind,
    toolCallType,
    httpStatus,
    isError: isErrorSpan(span.status.code, httpStatus, attrString(attrs, ATTR_ERROR_TYPE)),
    startNanos,
    startMs: nanosToMs(startNanos),
    durationMs: duration,
    recordDurationMs: Math.max(0, duration),
    // Two spans that share an ID (a buggy sender) are both kept as logs; the trace view flags them.
    logKey: `${span.spanId}@${span.startTimeUnixNano}`,
  };
}

/**
 * Tool calls come as our `tooltrace.kind=tool_call` spans, MCP SERVER spans
 * for `tools/call`/`tools/list`, or any `gen_ai.operation.name=execute_tool`
 * span (agent frameworks).
 */
function detectToolCall(span: OtlpSpan): ToolCallType | null {
  const attrs = span.attributes;
  const declared = attrs[ATTR_TOOL_CALL_TYPE];
  const mcpMethod = attrString(attrs, ATTR_MCP_METHOD_NAME);
  const isMcpTool =
    span.kind === SPAN_KIND.server && (mcpMethod === MCP_METHOD_TOOLS_CALL || mcpMethod === MCP_METHOD_TOOLS_LIST);
  const isGenAiTool = attrString(attrs, ATTR_GEN_AI_OPERATION_NAME) === GEN_AI_OPERATION_EXECUTE_TOOL;
  if (attrs[ATTR_KIND] !== 'tool_call' && !isMcpTool && !isGenAiTool) return null;
  if (typeof declared === 'string' && (TOOL_CALL_TYPES as readonly string[]).includes(declared)) {
    return declared as ToolCallType;
  }
  return mcpMethod === MCP_METHOD_TOOLS_LIST && !isGenAiTool ? 'list_tools' : 'run_tool';
}

/** The tool's name: `gen_ai.tool.name`, else the span name after its operation word (`tools/call get_weather`). */
export function toolName(view: SpanView): string | null {
  const named = attrString(view.attrs, ATTR_GEN_AI_TOOL_NAME);
  if (named) return named;
  if (view.toolCallType === 'list_tools') return null;
  const match = /^(?:tools\/call|execute_tool|run_tool)\s+(\S.*)$/.exec(view.span.name.trim());
  return match?.[1] ?? null;
}

/** The first `exception` event's type and message, if the span recorded one. */
export function firstException(view: SpanView): { type: string | null; message: string | null } | null {
  const event = view.span.events.find((e) => e.name === EXCEPTION_EVENT_NAME);
  if (!event) return null;
  return {
    type: attrString(event.attributes, ATTR_EXCEPTION_TYPE),
    message: attrString(event.attributes, ATTR_EXCEPTION_MESSAGE),
  };
}

export interface ErrorDetails {
  code: string | null;
  message: string | null;
}

/** Error code and message of a failed span, from the most specific source that has them. */
export function errorDetails(view: SpanView): ErrorDetails {
  const exception = firstException(view);
  const errorType = attrString(view.attrs, ATTR_ERROR_TYPE);
  return {
    code: attrString(view.attrs, ATTR_ERROR_CODE) ?? attrString(view.attrs, ATTR_JSONRPC_ERROR_CODE) ?? errorType,
    message:
      attrString(view.attrs, ATTR_ERROR_MESSAGE) ??
      (view.span.status.message || null) ??
      exception?.message ??
      exception?.type ??
      null,
  };
}
