/**
 * The Ingest panel and the list tabs' empty states (issue 18): what arrived for the project and
 * what became of it, in words, from `GET /project/ingest`. Pure, unit-tested.
 */
import type { IngestSenderRow, IngestWindow, ProjectIngest, RejectionKind } from '@tooltrace/conventions';
import type { DateRange } from './date-range.ts';
import { formatCount } from './format.ts';

export type IngestWindowKey = 'last24h' | 'last7d';

export const WINDOW_LABELS: Record<IngestWindowKey, string> = {
  last24h: 'last 24 hours',
  last7d: 'last 7 days',
};

export const REJECTION_LABELS: Record<RejectionKind, string> = {
  log_without_trace: 'Log record without a trace ID',
  invalid_trace_id: 'Invalid trace ID',
  invalid_span_id: 'Invalid span ID',
  invalid_parent_span_id: 'Invalid parent span ID',
  time_in_future: 'Time in the future',
  older_than_age_limit: "Older than the plan's age limit",
  invalid_request: 'Unreadable request',
  too_large: 'Request too large',
  unsupported_media_type: 'Unsupported content type or encoding',
  overloaded: 'Throttled: collector busy',
  store_unavailable: 'Throttled: store unavailable',
  other: 'Other',
};

/**
 * The docs are linked where the repository shows them (GitHub renders the Markdown and its
 * anchors); the UI is a static build and the query API serves no docs of its own.
 */
export const DOCS_BASE = 'https://github.com/tooltrace/tooltrace/blob/main/docs/';
export const SENDING_TELEMETRY_DOC = `${DOCS_BASE}sending-telemetry.md`;
export const DOC_LINKS = {
  tools: `${SENDING_TELEMETRY_DOC}#tool-call-tooltrace-conventions`,
  triggers: `${SENDING_TELEMETRY_DOC}#trigger-event-root-of-its-trace`,
  logs: `${SENDING_TELEMETRY_DOC}#logs-and-exceptions-any-span-of-a-trace`,
} as const;

/** The ingest window that covers a list's range best: a day or less reads the last 24 h, more the last 7 d. */
export function windowForRange(range: DateRange): IngestWindowKey {
  return range.preset === '15m' || range.preset === '1h' || range.preset === '24h' ? 'last24h' : 'last7d';
}

/**
 * The trace the empty states link to ("See a sample trace"): the newest one that arrived in the
 * window with no tool call or trigger event, from any sender; null when none was kept.
 */
export function newestSampleTrace(ingest: ProjectIngest, key: IngestWindowKey): SampleTrace | null {
  const samples = ingest[key].bySender.flatMap((s) =>
    s.sampleTraces.map((t) => ({ ...t, serviceName: s.serviceName })),
  );
  return samples.reduce<SampleTrace | null>((newest, t) => (newest && newest.at >= t.at ? newest : t), null);
}

export type SampleTrace = IngestSenderRow['sampleTraces'][number] & { serviceName: string };

/** How a sample trace reads in a link: its root span's name, or its trace ID shortened when the root was not seen. */
export function sampleLabel(sample: { traceId: string; name: string | null }): string {
  return sample.name ?? `trace ${sample.traceId.slice(0, 8)}…`;
}

/** Senders that are real services (not the bucket of requests refused before their body was read). */
function services(window: IngestWindow) {
  return window.bySender.filter((s) => s.accepted > 0 && !s.serviceName.startsWith('('));
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * What a list tab with no rows says did arrive ("1 204 spans and log records from 3 services
 * arrived in the last 24 hours; none is a tool call"), or null when nothing arrived.
 */
export function arrivalSummary(ingest: ProjectIngest, key: IngestWindowKey, noun: string): string | null {
  const window = ingest[key];
  if (window.totals.accepted === 0) return null;
  const from = services(window);
  const senders = from.length > 0 ? ` from ${plural(from.length, 'service', 'services')}` : '';
  return `${plural(window.totals.accepted, 'span or log record', 'spans and log records')}${senders} arrived in the ${WINDOW_LABELS[key]}; none is ${noun}.`;
}

export interface RejectionRow {
  reason: RejectionKind;
  label: string;
  count: number;
  lastMessage: string | null;
  lastAt: string | null;
}

/** The window's rejection kinds, largest first, each with the newest message of its kind. */
export function rejectionRows(ingest: ProjectIngest, key: IngestWindowKey): RejectionRow[] {
  return ingest[key].byReason.map(({ reason, count }) => {
    const last = ingest.lastRejections.find((r) => r.reason === reason);
    return {
      reason,
      label: REJECTION_LABELS[reason],
      count,
      lastMessage: last?.message ?? null,
      lastAt: last?.at ?? null,
    };
  });
}

/** Log records rejected for having no trace ID in the window (tooltrace keeps logs per trace). */
export function logsWithoutTrace(ingest: ProjectIngest, key: IngestWindowKey): number {
  return ingest[key].byReason.find((r) => r.reason === 'log_without_trace')?.count ?? 0;
}
