import { describe, expect, it } from 'vitest';
import { applyLive, emptyLiveView, type LiveView, lateArrivals, lateArrivalsLabel, mergeRows } from './live.ts';

interface Row {
  id: string;
  t: number;
  v?: number;
}
const key = (r: Row) => r.id;
const time = (r: Row) => r.t;
const fetched: Row[] = [
  { id: 'f2', t: 200 },
  { id: 'f1', t: 100 },
];
const shown = { has: (k: string) => fetched.some((r) => r.id === k), newest: 200 };
const apply = (rows: Row[], view: LiveView<Row> = emptyLiveView()) =>
  rows.reduce((v, row) => applyLive(v, row, key, time, shown), view);

describe('live rows', () => {
  it('when rows newer than every row shown stream in, then they go on top, newest first', () => {
    const view = apply([
      { id: 'a', t: 300 },
      { id: 'b', t: 310 },
    ]);
    expect(mergeRows(view, fetched, key).map((r) => r.id)).toEqual(['b', 'a', 'f2', 'f1']);
  });

  it('when a row older than the newest shown arrives, then it is left out of the top (a late arrival)', () => {
    const view = apply([
      { id: 'a', t: 300 },
      { id: 'late', t: 250 },
      { id: 'older-than-fetched', t: 150 },
    ]);
    expect(view.top.map((r) => r.id)).toEqual(['a']);
    expect(mergeRows(view, fetched, key).map((r) => r.id)).toEqual(['a', 'f2', 'f1']);
  });

  it('when a row shown arrives again, then its new version replaces it in place', () => {
    const view = apply([
      { id: 'a', t: 300, v: 1 },
      { id: 'a', t: 300, v: 2 },
      { id: 'f1', t: 100, v: 2 },
    ]);
    expect(mergeRows(view, fetched, key)).toEqual([
      { id: 'a', t: 300, v: 2 },
      { id: 'f2', t: 200 },
      { id: 'f1', t: 100, v: 2 },
    ]);
  });

  it('when the histogram grew by more than the rows shown as new, then the rest are late arrivals', () => {
    expect(lateArrivals(83, 166, 6)).toBe(77);
    expect(lateArrivals(83, 89, 6)).toBe(0);
    // The histogram has not caught up with the rows on top yet: nothing is late.
    expect(lateArrivals(83, 85, 6)).toBe(0);
    expect(lateArrivals(null, 166, 6)).toBe(0);
    expect(lateArrivalsLabel(1)).toBe('1 late arrival — refresh');
    expect(lateArrivalsLabel(77)).toBe('77 late arrivals — refresh');
  });
});
