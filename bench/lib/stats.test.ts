import { describe, expect, it } from 'vitest';
import { summarize } from './stats.ts';

describe('summarize', () => {
  it('takes nearest-rank percentiles: p99 of 200 runs is the 198th fastest', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 200 … 1, unsorted on purpose
    const s = summarize(samples);
    expect(s.runs).toBe(200);
    expect(s.p50).toBe(100);
    expect(s.p95).toBe(190);
    expect(s.p99).toBe(198);
    expect(s.max).toBe(200);
    expect(s.mean).toBeCloseTo(100.5);
  });

  it('reports no figures for no runs instead of zeros', () => {
    expect(summarize([]).p99).toBeNaN();
  });
});
