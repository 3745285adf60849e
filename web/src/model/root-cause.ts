/**
 * The root cause of a failed call, for the Log Trace summary: the deepest failing provider request
 * under the call (for a Slack call whose token refresh failed, the 400 at the OAuth endpoint, not
 * the 401 that led to it), with its method, host and path, status and response body.
 */
import type { LogEntry } from '@tooltrace/conventions';

export interface RootCause {
  log: LogEntry;
  method: string | null;
  /** `host/path`, e.g. `slack.com/api/oauth.v2.access`. */
  target: string | null;
  status: number | null;
  body: string | null;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** `METHOD host/path` of a provider request's attributes, or null when it names no URL. */
export function requestTarget(attributes: Record<string, unknown>): string | null {
  const full = text(attributes['url.full']);
  if (full) {
    try {
      const url = new URL(full);
      return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    } catch {
      // not a URL: fall back to the parts
    }
  }
  const host = text(attributes['server.address']);
  const path = text(attributes['url.path']);
  return host || path ? `${host ?? ''}${path ?? ''}` : null;
}

/** `METHOD host/path` for each span log that is an HTTP request, to name waterfall rows by what they called. */
export function requestLabels(logs: readonly LogEntry[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const log of logs) {
    if (log.source !== 'span' || !log.spanId) continue;
    const method = text(log.attributes['http.request.method']);
    const target = requestTarget(log.attributes);
    if (method && target && log.kind !== 'tool_call') labels.set(log.spanId, `${method} ${target}`);
  }
  return labels;
}

export function rootCause(logs: readonly LogEntry[], callSpanId: string): RootCause | null {
  const spans = new Map(logs.filter((l) => l.source === 'span' && l.spanId).map((l) => [l.spanId as string, l]));
  const depthUnder = (log: LogEntry): number | null => {
    let depth = 0;
    let parent = log.parentSpanId;
    const seen = new Set<string>();
    while (parent !== null && !seen.has(parent)) {
      seen.add(parent);
      depth += 1;
      if (parent === callSpanId) return depth;
      parent = spans.get(parent)?.parentSpanId ?? null;
    }
    return null;
  };
  let best: { log: LogEntry; depth: number } | null = null;
  for (const log of spans.values()) {
    if (log.kind !== 'provider_request' || log.level !== 'error') continue;
    const depth = depthUnder(log);
    if (depth === null) continue;
    const later = best !== null && depth === best.depth && BigInt(log.timeUnixNano) > BigInt(best.log.timeUnixNano);
    if (best === null || depth > best.depth || later) best = { log, depth };
  }
  if (!best) return null;
  const { attributes } = best.log;
  const status = attributes['http.response.status_code'];
  return {
    log: best.log,
    method: text(attributes['http.request.method']),
    target: requestTarget(attributes),
    status: typeof status === 'number' ? status : typeof status === 'string' ? Number(status) || null : null,
    body: best.log.body,
  };
}
