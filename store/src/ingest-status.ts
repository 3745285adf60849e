/**
 * A project's ingest status as one small document, the same for every
 * backend: hourly buckets of counts by sender and by rejection kind for the
 * last 7 days, and the last message of each rejection kind. Backends only
 * keep the document; merging a delta and summarising are these pure
 * functions, so both backends answer alike.
 */
import {
  type IngestCounts,
  type IngestDelta,
  type IngestWindow,
  type ProjectIngest,
  REJECTION_KINDS,
  type RejectionKind,
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
}

const zero = (): IngestCounts => ({ accepted: 0, rejected: 0, throttled: 0 });

function add(into: IngestCounts, more: IngestCounts): void {
  into.accepted += more.accepted;
  into.rejected += more.rejected;
  into.throttled += more.throttled;
}

export function mergeIngestDelta(current: IngestStatusDocument | null, delta: IngestDelta): IngestStatusDocument {
  const doc: IngestStatusDocument = structuredClone(current ?? { hours: [], last: {} });
  const hourMs = Math.floor(delta.atMs / HOUR_MS) * HOUR_MS;
  let bucket = doc.hours.find((h) => h.hourMs === hourMs);
  if (!bucket) {
    bucket = { hourMs, bySender: {}, byReason: {} };
    doc.hours.push(bucket);
  }
  for (const [sender, counts] of Object.entries(delta.bySender)) {
    const known = Object.hasOwn(bucket.bySender, sender);
    const name = known || Object.keys(bucket.bySender).length < MAX_SENDERS_PER_HOUR ? sender : OTHER_SENDERS;
    if (!Object.hasOwn(bucket.bySender, name)) bucket.bySender[name] = zero();
    add(bucket.bySender[name]!, counts);
  }
  for (const kind of REJECTION_KINDS) {
    const seen = delta.byReason[kind];
    if (!seen || seen.count === 0) continue;
    bucket.byReason[kind] = (bucket.byReason[kind] ?? 0) + seen.count;
    if ((doc.last[kind]?.atMs ?? -1) <= delta.atMs) doc.last[kind] = { message: seen.lastMessage, atMs: delta.atMs };
  }
  const newest = Math.max(...doc.hours.map((h) => h.hourMs));
  doc.hours = doc.hours.filter((h) => h.hourMs > newest - KEPT_MS).sort((a, b) => a.hourMs - b.hourMs);
  return doc;
}

function windowOf(buckets: HourBucket[]): IngestWindow {
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
      .map(([serviceName, counts]) => ({ serviceName, ...counts }))
      .sort((a, b) => b.accepted + b.rejected + b.throttled - (a.accepted + a.rejected + a.throttled)),
  };
}

/** The last 24 h and 7 d as of `nowMs` (hours that started within the window). */
export function summarizeIngest(doc: IngestStatusDocument | null, nowMs: number): ProjectIngest {
  const hours = doc?.hours ?? [];
  const since = (ms: number) => hours.filter((h) => h.hourMs > nowMs - ms && h.hourMs <= nowMs);
  const last = Object.entries(doc?.last ?? {}) as Array<[RejectionKind, { message: string; atMs: number }]>;
  return {
    last24h: windowOf(since(24 * HOUR_MS)),
    last7d: windowOf(since(KEPT_MS)),
    lastRejections: last
      .filter(([, seen]) => seen.atMs > nowMs - KEPT_MS)
      .sort((a, b) => b[1].atMs - a[1].atMs)
      .map(([reason, seen]) => ({ reason, message: seen.message, at: new Date(seen.atMs).toISOString() })),
  };
}
