/**
 * Feeds the project's ingest status (Store.ingestStatus) from the one record
 * each OTLP request leaves, whichever transport: items accepted and rejected
 * per sender, rejection kinds with their last message, throttled requests,
 * and per sender the newest few stored traces with no tool call or trigger event.
 * Deltas are summed in memory per project and written every few seconds (and
 * on close), so a busy collector writes one small document per project per
 * interval, not one per request. A failed write is logged and that interval's
 * counts are lost; ingest itself never waits for this.
 */
import {
  errorFields,
  getOwn,
  type IngestDelta,
  keepNewestSamples,
  type Logger,
  type RejectionKind,
  rejectionKind,
  setOwn,
  THROTTLE_KINDS,
} from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';
import type { SenderSamples } from '../mapping/trace-samples.ts';
import type { IngestRequestRecord } from './request-log.ts';

/** The sender a refused request is counted under: its body was never decoded, so its service is unknown. */
export const REFUSED_BEFORE_DECODING = '(refused before decoding)';

const KIND_OF_STATUS: Record<number, RejectionKind> = {
  400: 'invalid_request',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'overloaded',
  503: 'store_unavailable',
};

export interface IngestRecorder {
  observe(record: IngestRequestRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createIngestRecorder(
  store: Pick<Store, 'ingestStatus'>,
  options: { now: () => number; logger: Logger; flushIntervalMs?: number },
): IngestRecorder {
  let pending = new Map<string, IngestDelta>();
  const deltaOf = (projectId: string): IngestDelta => {
    let delta = pending.get(projectId);
    if (!delta) {
      delta = { atMs: options.now(), bySender: {}, byReason: {} };
      pending.set(projectId, delta);
    }
    return delta;
  };
  const countReason = (delta: IngestDelta, kind: RejectionKind, message: string) => {
    const seen = delta.byReason[kind] ?? { count: 0, lastMessage: message };
    seen.count += 1;
    seen.lastMessage = message;
    delta.byReason[kind] = seen;
  };
  const countSender = (
    delta: IngestDelta,
    sender: string,
    counts: { accepted?: number; rejected?: number; throttled?: number },
  ) => {
    // `service.name` is the sender's to choose: `__proto__` and `constructor` are names here too.
    const into = getOwn(delta.bySender, sender) ?? { accepted: 0, rejected: 0, throttled: 0 };
    into.accepted += counts.accepted ?? 0;
    into.rejected += counts.rejected ?? 0;
    into.throttled += counts.throttled ?? 0;
    setOwn(delta.bySender, sender, into);
  };

  const addSamples = (delta: IngestDelta, samples: SenderSamples) => {
    const into = new Map(Object.entries(delta.samples ?? {}));
    for (const [sender, incoming] of Object.entries(samples)) {
      into.set(sender, keepNewestSamples(into.get(sender) ?? [], incoming));
    }
    delta.samples = Object.fromEntries(into);
  };

  const observe = (record: IngestRequestRecord) => {
    // Without a project (a refused key) there is nobody to show it to; the log line says it.
    if (!record.projectId) return;
    const delta = deltaOf(record.projectId);
    if (record.ok && record.items) {
      for (const [sender, counts] of Object.entries(record.items.senders)) countSender(delta, sender, counts);
      for (const reason of record.items.reasons) countReason(delta, rejectionKind(reason), reason);
      if (record.items.samples) addSamples(delta, record.items.samples);
      return;
    }
    if (record.ok) return;
    const kind = KIND_OF_STATUS[record.httpStatus] ?? 'other';
    countReason(delta, kind, record.error ?? `answered ${record.status}`);
    const throttled = THROTTLE_KINDS.includes(kind);
    countSender(delta, REFUSED_BEFORE_DECODING, throttled ? { throttled: 1 } : { rejected: 1 });
  };

  const flush = async () => {
    const batch = pending;
    pending = new Map();
    await Promise.all(
      [...batch].map(([projectId, delta]) =>
        store.ingestStatus.record(projectId, delta).catch((error: unknown) => {
          options.logger.warn(
            { ...errorFields(error), projectId },
            'recording the ingest status failed; these counts are not shown in the Ingest panel',
          );
        }),
      ),
    );
  };
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 5_000);
  timer.unref();
  return {
    observe,
    flush,
    close: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
