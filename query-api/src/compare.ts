/**
 * The comparison behind GET /tool-calls/:traceId/compare (DESIGN §6): the failing call beside the
 * last successful call of the same tool and integration before it (same user when there is one),
 * their parameters diffed and their provider requests aligned.
 */
import {
  alignRequests,
  compareStoredLogs,
  diffJson,
  parseParameters,
  type RequestSummary,
  type StoredLog,
  type StoredToolCall,
  type ToolCallComparisonResponse,
} from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';
import { NotFoundError } from './errors.ts';
import { toolCallJson } from './serialise.ts';

type Summary = RequestSummary & { spanId: string };

/** The provider requests under `call` (any depth), in time order. */
export function providerRequests(logs: readonly StoredLog[], call: StoredToolCall): Summary[] {
  const spans = new Map(logs.filter((l) => l.source === 'span' && l.spanId).map((l) => [l.spanId as string, l]));
  const under = (log: StoredLog) => {
    const seen = new Set<string>();
    for (let parent = log.parentSpanId; parent !== null && !seen.has(parent); ) {
      if (parent === call.spanId) return true;
      seen.add(parent);
      parent = spans.get(parent)?.parentSpanId ?? null;
    }
    return false;
  };
  return [...spans.values()]
    .filter((l) => l.kind === 'provider_request' && under(l))
    .sort(compareStoredLogs)
    .map((l) => summary(l));
}

function summary(log: StoredLog): Summary {
  const a = log.attributes;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  let host = str(a['server.address']);
  let path = str(a['url.path']);
  const full = str(a['url.full']);
  if (full) {
    try {
      const url = new URL(full);
      host ??= url.host;
      path ??= url.pathname;
    } catch {
      // not a URL: keep the parts the span gave
    }
  }
  const status = a['http.response.status_code'];
  return {
    spanId: log.spanId as string,
    method: str(a['http.request.method']),
    host,
    path,
    status:
      typeof status === 'number' ? status : Number.isFinite(Number(status)) && status !== null ? Number(status) : null,
    durationMs: log.durationMs,
  };
}

export async function compareWithLastSuccess(
  store: Store,
  projectId: string,
  traceId: string,
  spanId: string | undefined,
): Promise<ToolCallComparisonResponse> {
  const trace = await store.getTrace(projectId, traceId);
  if (!trace || trace.toolCalls.length === 0)
    throw new NotFoundError(`no tool call in trace ${traceId} in this project`);
  const failing = spanId
    ? trace.toolCalls.find((c) => c.spanId === spanId)
    : (trace.toolCalls.find((c) => c.status === 'error') ?? trace.toolCalls[0]);
  if (!failing) throw new NotFoundError(`trace ${traceId} has no tool call with span ${spanId}`);

  const earlier = await store.listToolCalls(
    projectId,
    {
      status: 'success',
      ...(failing.toolName !== null ? { toolName: failing.toolName } : {}),
      ...(failing.integration !== null ? { integration: failing.integration } : {}),
      ...(failing.userId !== null ? { userId: failing.userId } : {}),
      to: failing.startedAtMs,
    },
    { limit: 1 },
  );
  const baseline = earlier.items[0] ?? null;
  const baselineTrace = baseline ? await store.getTrace(projectId, baseline.traceId) : null;
  return {
    failing: toolCallJson(failing),
    baseline: baseline && toolCallJson(baseline),
    parameterDiff: baseline ? diffJson(parseParameters(baseline.parameters), parseParameters(failing.parameters)) : [],
    requests: alignRequests(
      providerRequests(trace.logs, failing),
      baseline && baselineTrace ? providerRequests(baselineTrace.logs, baseline) : [],
    ),
  };
}
