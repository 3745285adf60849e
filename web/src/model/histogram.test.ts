import { describe, expect, it } from 'vitest';
import { brushToRange, type HistogramData, isClick, layoutHistogram, yTicks } from './histogram.ts';
import { statusSeries } from './status.ts';

const data: HistogramData = {
  from: '2026-11-28T12:00:00.000Z',
  to: '2026-11-28T12:04:00.000Z',
  bucketMs: 60_000,
  buckets: [
    { start: '2026-11-28T12:00:00.000Z', counts: { success: 3, error: 1 } },
    { start: '2026-11-28T12:01:00.000Z', counts: {} },
    { start: '2026-11-28T12:02:00.000Z', counts: { success: 2 } },
    { start: '2026-11-28T12:03:00.000Z', counts: { error: 2 } },
  ],
};

describe('histogram layout', () => {
  it('when buckets are stacked, then bars fill the width and segments stack from the bottom', () => {
    const layout = layoutHistogram(data, statusSeries('tools'), { width: 400, height: 100 });
    expect(layout.maxTotal).toBe(4);
    expect(layout.total).toBe(8);
    expect(layout.totals).toEqual({ success: 5, error: 3 });
    const [first, empty] = layout.bars;
    expect(first?.x).toBe(0);
    expect(first?.segments.map((s) => [s.key, s.y, s.height])).toEqual([
      ['success', 25, 75],
      ['error', 0, 25],
    ]);
    expect(empty?.segments).toEqual([]);
    expect(layout.bars[3]?.x).toBe(300);
  });

  it('when the range starts and ends inside buckets, then the axis widens to whole buckets and bars stay equal', () => {
    const partial: HistogramData = {
      from: '2026-11-28T12:00:30.000Z',
      to: '2026-11-28T12:01:10.000Z',
      bucketMs: 60_000,
      buckets: [
        { start: '2026-11-28T12:00:00.000Z', counts: { success: 1 } },
        { start: '2026-11-28T12:01:00.000Z', counts: { error: 30 } },
      ],
    };
    const layout = layoutHistogram(partial, statusSeries('tools'), { width: 200, height: 100 });
    expect([layout.from, layout.to]).toEqual([Date.parse('2026-11-28T12:00:00Z'), Date.parse('2026-11-28T12:02:00Z')]);
    expect(layout.bars.map((b) => [b.x, b.width])).toEqual([
      [0, 99],
      [100, 99],
    ]);
  });

  it('when one bucket dwarfs the others, then a small non-empty bucket is still drawn', () => {
    const spiky: HistogramData = {
      ...data,
      buckets: [
        { start: '2026-11-28T12:00:00.000Z', counts: { success: 1 } },
        { start: '2026-11-28T12:01:00.000Z', counts: { success: 5000 } },
      ],
    };
    const [small] = layoutHistogram(spiky, statusSeries('tools'), { width: 400, height: 100 }).bars;
    expect(small?.segments[0]?.height).toBe(2);
  });

  it('when a brush covers part of two buckets, then the range widens to whole buckets', () => {
    expect(brushToRange(0.3, 0.6, data)).toEqual({
      from: Date.parse('2026-11-28T12:01:00Z'),
      to: Date.parse('2026-11-28T12:03:00Z'),
    });
  });

  it('when a brush is dragged right to left or past the edges, then it is ordered and clamped', () => {
    expect(brushToRange(1.4, -1, data)).toEqual({ from: Date.parse(data.from), to: Date.parse(data.to) });
  });

  it('when the pointer barely moves, then it is a click that selects one bucket', () => {
    expect(isClick(0.5, 0.501, 400)).toBe(true);
    expect(brushToRange(0.55, 0.55, data)).toEqual({
      from: Date.parse('2026-11-28T12:02:00Z'),
      to: Date.parse('2026-11-28T12:03:00Z'),
    });
  });

  it('when the y axis is labelled, then ticks are round numbers up to the max', () => {
    expect(yTicks(0)).toEqual([0]);
    expect(yTicks(37)).toEqual([0, 10, 20, 30]);
  });
});
