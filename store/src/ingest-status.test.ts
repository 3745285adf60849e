/** The pure ingest-status document both backends keep: how sample traces merge and stay bounded. */
import { type IngestDelta, MAX_SAMPLES_PER_SENDER } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { type IngestStatusDocument, MAX_SENDERS_PER_HOUR, mergeIngestDelta, summarizeIngest } from './ingest-status.ts';

const HOUR_MS = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12, 30);
const trace = (n: number) => n.toString(16).padStart(32, '0');

function arrived(atMs: number, sender: string, ids: number[]): IngestDelta {
  return {
    atMs,
    bySender: { [sender]: { accepted: ids.length, rejected: 0, throttled: 0 } },
    byReason: {},
    samples: { [sender]: ids.map((n) => ({ traceId: trace(n), name: null, atMs })) },
  };
}

describe('mergeIngestDelta: sample traces', () => {
  it('when a document written before samples were kept gets a delta, then its counts stay and samples start', () => {
    const legacy: IngestStatusDocument = {
      hours: [
        { hourMs: NOW - (NOW % HOUR_MS), bySender: { api: { accepted: 4, rejected: 0, throttled: 0 } }, byReason: {} },
      ],
      last: {},
    };
    const doc = mergeIngestDelta(legacy, arrived(NOW, 'api', [1]));
    const [api] = summarizeIngest(doc, NOW).last24h.bySender;
    expect(api).toMatchObject({ serviceName: 'api', accepted: 5 });
    expect(api!.sampleTraces.map((s) => s.traceId)).toEqual([trace(1)]);
  });

  it('when more senders send samples than the document keeps, then those with the oldest samples go', () => {
    let doc: IngestStatusDocument | null = null;
    for (let i = 0; i <= MAX_SENDERS_PER_HOUR; i += 1)
      doc = mergeIngestDelta(doc, arrived(NOW - HOUR_MS + i, `svc-${i}`, [i + 1]));
    expect(Object.keys(doc!.samples!)).toHaveLength(MAX_SENDERS_PER_HOUR);
    expect(Object.hasOwn(doc!.samples!, 'svc-0')).toBe(false);
    expect(doc!.samples![`svc-${MAX_SENDERS_PER_HOUR}`]).toHaveLength(1);
  });

  it('when samples are older than the 7 days kept, then the next merge drops them', () => {
    let doc = mergeIngestDelta(null, arrived(NOW - 8 * 24 * HOUR_MS, 'api', [1, 2]));
    doc = mergeIngestDelta(doc, arrived(NOW, 'api', [3]));
    expect(doc.samples!.api!.map((s) => s.traceId)).toEqual([trace(3)]);
  });

  it('when a request holds more traces than kept, then at most MAX_SAMPLES_PER_SENDER stay', () => {
    const doc = mergeIngestDelta(null, arrived(NOW, 'api', [1, 2, 3, 4, 5]));
    expect(doc.samples!.api!.map((s) => s.traceId)).toEqual([1, 2, 3].map(trace));
    expect(MAX_SAMPLES_PER_SENDER).toBe(3);
  });
});

describe('mergeIngestDelta: senders named like members of Object.prototype', () => {
  const counts = (accepted: number) => ({ accepted, rejected: 1, throttled: 0 });
  const delta = (atMs: number): IngestDelta => {
    const bySender = JSON.parse('{"__proto__": {"accepted": 2, "rejected": 1, "throttled": 0}}');
    Object.assign(bySender, { constructor: counts(3), toString: counts(4), checkout: counts(5) });
    return {
      atMs,
      bySender,
      byReason: {},
      samples: JSON.parse(`{"__proto__": [{"traceId": "${trace(1)}", "name": null, "atMs": ${atMs}}]}`),
    };
  };

  it('when `__proto__`, `constructor` and `toString` send, then each is a sender with its own exact counts, merged again after a JSON round trip', () => {
    const once = mergeIngestDelta(null, delta(NOW - 1));
    const twice = mergeIngestDelta(JSON.parse(JSON.stringify(once)), delta(NOW));
    const rows = summarizeIngest(twice, NOW).last24h.bySender.map(({ serviceName, accepted, rejected }) => ({
      serviceName,
      accepted,
      rejected,
    }));
    expect(rows).toEqual([
      { serviceName: 'checkout', accepted: 10, rejected: 2 },
      { serviceName: 'toString', accepted: 8, rejected: 2 },
      { serviceName: 'constructor', accepted: 6, rejected: 2 },
      { serviceName: '__proto__', accepted: 4, rejected: 2 },
    ]);
    expect(summarizeIngest(twice, NOW).last24h.totals).toEqual({ accepted: 28, rejected: 8, throttled: 0 });
    expect(Object.getPrototypeOf(twice.hours[0]!.bySender)).toBe(Object.prototype);
    expect(
      summarizeIngest(twice, NOW).last24h.bySender.find((s) => s.serviceName === '__proto__')?.sampleTraces,
    ).toEqual([{ traceId: trace(1), name: null, at: new Date(NOW).toISOString() }]);
  });
});
