/** keepNewestSamples: the one rule the collector and every store keep sample traces by. */
import { describe, expect, it } from 'vitest';
import { keepNewestSamples, MAX_SAMPLES_PER_SENDER, type TraceSample } from './ingest-status.ts';

const sample = (id: string, atMs: number, name: string | null = null): TraceSample => ({ traceId: id, name, atMs });

describe('keepNewestSamples', () => {
  it('when both lists hold samples, then the newest come first, at most MAX_SAMPLES_PER_SENDER', () => {
    const kept = [sample('a', 30), sample('b', 10)];
    const incoming = [sample('c', 20), sample('d', 40)];
    expect(keepNewestSamples(kept, incoming).map((s) => s.traceId)).toEqual(['d', 'a', 'c']);
    expect(MAX_SAMPLES_PER_SENDER).toBe(3);
  });

  it('when a trace is in both, then it is kept once, at its newer time', () => {
    const kept = [sample('a', 10, 'old')];
    const incoming = [sample('a', 20, 'new'), sample('b', 15)];
    expect(keepNewestSamples(kept, incoming)).toEqual([sample('a', 20, 'new'), sample('b', 15)]);
  });

  it('when times are equal, then what arrived later (incoming) comes first, each list in its own order', () => {
    const kept = [sample('a', 10), sample('b', 10)];
    const incoming = [sample('c', 10)];
    expect(keepNewestSamples(kept, incoming).map((s) => s.traceId)).toEqual(['c', 'a', 'b']);
  });
});
