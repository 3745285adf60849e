/** One tool-call span as OTLP/JSON, sent to the collector the way any OpenTelemetry exporter would. */
import { randomBytes } from 'node:crypto';

export interface SentToolCall {
  traceId: string;
  toolName: string;
}

export async function sendToolCall(collectorUrl: string, ingestKey: string, toolName: string): Promise<SentToolCall> {
  const traceId = randomBytes(16).toString('hex');
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const startNs = endNs - 42_000_000n;
  const attribute = (key: string, value: string | number) => ({
    key,
    value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
  });
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', 'web-e2e')] },
        scopeSpans: [
          {
            scope: { name: 'web-e2e' },
            spans: [
              {
                traceId,
                spanId: randomBytes(8).toString('hex'),
                name: `run_tool ${toolName}`,
                kind: 2,
                startTimeUnixNano: String(startNs),
                endTimeUnixNano: String(endNs),
                attributes: [
                  attribute('tooltrace.kind', 'tool_call'),
                  attribute('tooltrace.tool_call.type', 'run_tool'),
                  attribute('gen_ai.operation.name', 'execute_tool'),
                  attribute('gen_ai.tool.name', toolName),
                  attribute('tooltrace.integration', 'slack'),
                  attribute('user.id', 'user-live-e2e'),
                  attribute('http.response.status_code', 200),
                ],
                status: { code: 1 },
              },
            ],
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
  return { traceId, toolName };
}
