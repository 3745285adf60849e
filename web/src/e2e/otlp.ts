/** One tool-call span as OTLP/JSON, sent to the collector the way any OpenTelemetry exporter would. */
import { randomBytes } from 'node:crypto';

export interface SentToolCall {
  traceId: string;
  toolName: string;
}

const attribute = (key: string, value: string | number) => ({
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
  if (!response.ok) throw new Error(`collector answered ${response.status}: ${await response.text()}`);
  return spans.map((span) => span.traceId);
}
