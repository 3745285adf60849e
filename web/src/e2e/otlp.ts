/** Tool-call spans as OTLP/JSON, sent to the collector the way any OpenTelemetry exporter would. */
import { randomBytes } from 'node:crypto';

export interface SentToolCall {
  traceId: string;
  toolName: string;
}

export const attribute = (key: string, value: string | number) => ({
  key,
  value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
});

function toolCallSpan(toolName: string, endMs: number) {
  const traceId = randomBytes(16).toString('hex');
  const endNs = BigInt(endMs) * 1_000_000n;
  return {
    traceId,
    spanId: randomBytes(8).toString('hex'),
    name: `run_tool ${toolName}`,
    kind: 2,
    startTimeUnixNano: String(endNs - 42_000_000n),
    endTimeUnixNano: String(endNs),
    attributes: [
      attribute('tooltrace.kind', 'tool_call'),
      attribute('tooltrace.tool_call.type', 'run_tool'),
      attribute('gen_ai.operation.name', 'execute_tool'),
      attribute('gen_ai.tool.name', toolName),
      attribute('tooltrace.integration', 'slack'),
      attribute('user.id', 'user-e2e'),
      attribute('http.response.status_code', 200),
    ],
    status: { code: 1 },
  };
}

export async function sendToolCall(collectorUrl: string, ingestKey: string, toolName: string): Promise<SentToolCall> {
  const [span] = await sendToolCalls(collectorUrl, ingestKey, toolName, 1);
  return { traceId: span!, toolName };
}

/** Sends `count` tool calls of one tool in one request, a millisecond apart; resolves to their trace IDs. */
export async function sendToolCalls(
  collectorUrl: string,
  ingestKey: string,
  toolName: string,
  count: number,
): Promise<string[]> {
  const now = Date.now();
  const spans = Array.from({ length: count }, (_, i) => toolCallSpan(toolName, now - i));
  await postSpans(collectorUrl, ingestKey, spans);
  return spans.map((span) => span.traceId);
}

/**
 * One tool call whose children look wrong, as a buggy sender would make them: a span that ends before
 * it starts, two different spans sharing one span ID, and a span whose parent never arrives.
 */
export async function sendOddTrace(collectorUrl: string, ingestKey: string, toolName: string): Promise<string> {
  const root = toolCallSpan(toolName, Date.now());
  const start = BigInt(root.startTimeUnixNano);
  const child = (name: string, spanId: string, parentSpanId: string, fromMs: number, toMs: number) => ({
    traceId: root.traceId,
    spanId,
    parentSpanId,
    name,
    kind: 1,
    startTimeUnixNano: String(start + BigInt(fromMs) * 1_000_000n),
    endTimeUnixNano: String(start + BigInt(toMs) * 1_000_000n),
    attributes: [attribute('tooltrace.kind', 'internal')],
    status: { code: 0 },
  });
  const shared = randomBytes(8).toString('hex');
  await postSpans(collectorUrl, ingestKey, [
    root,
    child('skewed clock', randomBytes(8).toString('hex'), root.spanId, 20, 10),
    child('first of a pair', shared, root.spanId, 2, 5),
    child('second of a pair', shared, root.spanId, 6, 9),
    child('orphan', randomBytes(8).toString('hex'), randomBytes(8).toString('hex'), 12, 15),
  ]);
  return root.traceId;
}

/** A tool call whose span links the given traces (as a batch job links what it consumed); resolves to its trace ID. */
export async function sendLinkingToolCall(
  collectorUrl: string,
  ingestKey: string,
  toolName: string,
  linkedTraceIds: readonly string[],
): Promise<string> {
  const span = {
    ...toolCallSpan(toolName, Date.now()),
    links: linkedTraceIds.map((traceId) => ({
      traceId,
      spanId: randomBytes(8).toString('hex'),
      attributes: [attribute('link.reason', 'consumed')],
    })),
  };
  await postSpans(collectorUrl, ingestKey, [span]);
  return span.traceId;
}

export async function postSpans(collectorUrl: string, ingestKey: string, spans: unknown[]): Promise<void> {
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', 'web-e2e')] },
        scopeSpans: [
          {
            scope: { name: 'web-e2e' },
            spans,
          },
        ],
      },
    ],
  };
  const response = await fetch(`${collectorUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ingestKey}` },
    body: JSON.stringify(body),
  });
  // A 200 comes only once the store has written the batch (collector README), so no polling is needed after.
  if (!response.ok) throw new Error(`collector answered ${response.status}: ${await response.text()}`);
}
