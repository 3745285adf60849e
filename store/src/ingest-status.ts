/**
 * A project's ingest status as one small document, the same for every
 * backend: hourly buckets of counts by sender and by rejection kind for the
 * last 7 days, and the last message of each rejection kind. Backends only
 * keep the document; merging a delta and summarising are these pure
 * functions, so both backends answer alike.
 */
import {
  getOwn,
  type IngestCounts,
  type IngestDelta,
  type IngestWindow,
  keepNewestSamples,
  type ProjectIngest,
  REJECTION_KINDS,
  type RejectionKind,
  setOwn,
  type TraceSample,
} from '@tooltrace/conventions';

const HOUR_MS = 3_600_000;
const KEPT_MS = 7 * 24 * HOUR_MS;
/** Senders kept per hour; the rest are counted under OTHER_SENDERS so a noisy fleet cannot grow the document. */
export const MAX_SENDERS_PER_HOUR = 100;
export const OTHER_SENDERS = '(other senders)';

interface HourBucket {
  hourMs: number;
  bySender: Record<string, IngestCounts>;
  byReason: Partial<Record<RejectionKind, number>>;
}

export interface IngestStatusDocument {
  hours: HourBucket[];
  last: Partial<Record<RejectionKind, { message: string; atMs: number }>>;
  /** The newest sample traces of each sender (absent in documents written before samples were kept). */
  samples?: Record<string, TraceSample[]>;
}

/**
 * Sender names are `service.name`, the sender's to choose: every object keyed
 * by one is read with getOwn and written with setOwn, so `__proto__` and
 * `constructor` are names like any other.
 */
const samplesOf = (samples: Record<string, TraceSample[]>, sender: string): TraceSample[] =>
  getOwn(samples, sender) ?? [];

/** The start of the hour bucket `ms` falls in: samples are in a window when their hour is, as counts are. */
const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

const zero = (): IngestCounts => ({ accepted: 0, rejected: 0, throttled: 0 });

function add(into: IngestCounts, more: IngestCounts): void {
  into.accepted += more.accepted;
  into.rejected += more.rejected;
  into.throttled += more.throttled;
}

export function mergeIngestDelta(current: IngestStatusDocument | null, delta: IngestDelta): IngestStatusDocument {
  const doc: IngestStatusDocument = structuredClone(current ?? { hours: [], last: {} });
  const hourMs = hourOf(delta.atMs);
  let bucket = doc.hours.find((h) => h.hourMs === hourMs);
  if (!bucket) {
    bucket = { hourMs, bySender: {}, byReason: {} };
    doc.hours.push(bucket);
  }
  for (const [sender, counts] of Object.entries(delta.bySender)) {
    const known = Object.hasOwn(bucket.bySender, sender);
    const name = known || Object.keys(bucket.bySender).length < MAX_SENDERS_PER_HOUR ? sender : OTHER_SENDERS;
    const into = getOwn(bucket.bySender, name) ?? zero();
    add(into, counts);
    setOwn(bucket.bySender, name, into);
  }
  for (const kind of REJECTION_KINDS) {
    const seen = delta.byReason[kind];
    if (!seen || seen.count === 0) continue;
    bucket.byReason[kind] = (bucket.byReason[kind] ?? 0) + seen.count;
    if ((doc.last[kind]?.atMs ?? -1) <= delta.atMs) doc.last[kind] = { message: seen.lastMessage, atMs: delta.atMs };
  }
  const newest = Math.max(...doc.hours.map((h) => h.hourMs));
  doc.hours = doc.hours.filter((h) => h.hourMs > newest - KEPT_MS).sort((a, b) => a.hourMs - b.hourMs);
  doc.samples = mergeSamples(doc.samples ?? {}, delta.samples ?? {}, newest - KEPT_MS);
  return doc;
}

/**
 * Each sender's newest samples, none from an hour before `afterMs`; at most
 * MAX_SENDERS_PER_HOUR senders, those with the newest samples, so a noisy
 * fleet cannot grow the document.
 */
function mergeSamples(
  kept: Record<string, TraceSample[]>,
  incoming: Record<string, TraceSample[]>,
  afterMs: number,
): Record<string, TraceSample[]> {
  const merged = new Map<string, TraceSample[]>();
  for (const sender of new Set([...Object.keys(kept), ...Object.keys(incoming)])) {
    const samples = keepNewestSamples(samplesOf(kept, sender), samplesOf(incoming, sender)).filter(
      (sample) => hourOf(sample.atMs) > afterMs,
    );
    if (samples.length > 0) merged.set(sender, samples);
  }
  const newestFirst = [...merged].sort((a, b) => b[1][0]!.atMs - a[1][0]!.atMs);
  return Object.fromEntries(newestFirst.slice(0, MAX_SENDERS_PER_HOUR));
}

/** Every sample trace the document keeps (at most MAX_SENDERS_PER_HOUR × MAX_SAMPLES_PER_SENDER). */
export function sampleTraceIds(doc: IngestStatusDocument | null): string[] {
  return [...new Set(Object.values(doc?.samples ?? {}).flatMap((samples) => samples.map((s) => s.traceId)))];
}

function windowOf(
  buckets: HourBucket[],
  samples: Record<string, TraceSample[]>,
  sinceMs: number,
  withRecords: ReadonlySet<string>,
): IngestWindow {
  const totals = zero();
  const senders = new Map<string, IngestCounts>();
  const reasons = new Map<RejectionKind, number>();
  for (const bucket of buckets) {
    for (const [sender, counts] of Object.entries(bucket.bySender)) {
      add(totals, counts);
      const into = senders.get(sender) ?? zero();
      add(into, counts);
      senders.set(sender, into);
    }
    for (const [kind, count] of Object.entries(bucket.byReason) as Array<[RejectionKind, number]>) {
      reasons.set(kind, (reasons.get(kind) ?? 0) + count);
    }
  }
  return {
    totals,
    byReason: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    bySender: [...senders]
      .map(([serviceName, counts]) => ({
        serviceName,
        ...counts,
        sampleTraces: samplesOf(samples, serviceName)
          .filter((sample) => hourOf(sample.atMs) > sinceMs && !withRecords.has(sample.traceId))
          .map(({ traceId, name, atMs }) => ({ traceId, name, at: new Date(atMs).toISOString() })),
      }))
      .sort((a, b) => b.accepted + b.rejected + b.throttled - (a.accepted + a.rejected + a.throttled)),
  };
}

/**
 * The last 24 h and 7 d as of `nowMs` (hours that started within the window).
 * `withRecords`: sample traces the store holds a tool call or trigger event of
 * (Store.tracesWithRecords of sampleTraceIds). Whether a trace was plain was
 * decided per request, and its tool-call span may have come in another one;
 * such a trace is left out, so a sample never leads to a tool-call page.
 */
export function summarizeIngest(
  doc: IngestStatusDocument | null,
  nowMs: number,
  withRecords: ReadonlySet<string> = new Set(),
): ProjectIngest {
  const hours = doc?.hours ?? [];
  const samples = doc?.samples ?? {};
  const window = (ms: number) =>
    windowOf(
      hours.filter((h) => h.hourMs > nowMs - ms && h.hourMs <= nowMs),
      samples,
      nowMs - ms,
      withRecords,
    );
  const last = Object.entries(doc?.last ?? {}) as Array<[RejectionKind, { message: string; atMs: number }]>;
  return {
    last24h: window(24 * HOUR_MS),
    last7d: window(KEPT_MS),
    lastRejections: last
      .filter(([, seen]) => seen.atMs > nowMs - KEPT_MS)
      .sort((a, b) => b[1].atMs - a[1].atMs)
      .map(([reason, seen]) => ({ reason, message: seen.message, at: new Date(seen.atMs).toISOString() })),
  };
}
