import type { SpanNode } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { buildWaterfall, waterfallTicks } from './waterfall.ts';

const T0 = 1_795_867_200_000_000_000n; // 2026-11-28T12:00:00Z in ns

function span(
  id: string,
  startMs: number,
  durationMs: number,
  children: SpanNode[] = [],
  extra: Partial<SpanNode> = {},
): SpanNode {
  return {
    spanId: id.padStart(16, '0'),
    parentSpanId: null,
    name: `span ${id}`,
    kind: 'internal',
    level: 'info',
    timestamp: new Date(Number(T0 / 1_000_000n) + startMs).toISOString(),
    timeUnixNano: String(T0 + BigInt(Math.round(startMs * 1_000_000))),
    durationMs,
    children,
    ...extra,
  };
}

describe('span tree → waterfall rows', () => {
  it('when a tool call has nested children, then rows are depth-first with depth, offset and width in %', () => {
    const tree = [
      span('a', 0, 200, [span('b', 10, 50, [span('c', 20, 30)]), span('d', 100, 100, [], { level: 'error' })]),
    ];
    const { rows, totalMs } = buildWaterfall(tree);
    expect(totalMs).toBe(200);
    expect(rows.map((r) => [r.name, r.depth, r.offsetPct, r.widthPct])).toEqual([
      ['span a', 0, 0, 100],
      ['span b', 1, 5, 25],
      ['span c', 2, 10, 15],
      ['span d', 1, 50, 50],
    ]);
    expect(rows[3]?.isError).toBe(true);
    expect(rows[0]?.childCount).toBe(2);
  });

  it('when a child outlives its parent (a trigger delivery after the event ended), then the extent covers it', () => {
    const { rows, totalMs } = buildWaterfall([span('a', 0, 10, [span('b', 90, 10)])]);
    expect(totalMs).toBe(100);
    expect(rows[1]).toMatchObject({ offsetPct: 90, widthPct: 10, startMs: 90 });
  });

  it('when spans are sub-millisecond apart, then nanosecond precision keeps their offsets', () => {
    const { rows } = buildWaterfall([span('a', 0, 1, [span('b', 0.25, 0.5)])]);
    expect(rows[1]?.offsetPct).toBeCloseTo(25, 6);
    expect(rows[1]?.widthPct).toBeCloseTo(50, 6);
  });

  it('when there are several roots (a partial trace), then all are shown at depth 0', () => {
    const { rows } = buildWaterfall([span('a', 0, 10), span('b', 20, 10)]);
    expect(rows.map((r) => [r.depth, r.offsetPct])).toEqual([
      [0, 0],
      [0, (20 / 30) * 100],
    ]);
  });

  it('when the trace is empty or all spans have zero length, then nothing divides by zero', () => {
    expect(buildWaterfall([])).toEqual({ rows: [], totalMs: 0 });
    const { rows } = buildWaterfall([span('a', 0, 0)]);
    expect(rows[0]).toMatchObject({ offsetPct: 0, widthPct: 100 });
  });

  it('when a malformed tree repeats a span, then it is listed once', () => {
    const a = span('a', 0, 10);
    a.children.push(a);
    expect(buildWaterfall([a]).rows).toHaveLength(1);
  });

  it('when two spans share an ID, then both are rows with distinct keys, each carrying the warning', () => {
    const tree = [span('a', 0, 10, [span('b', 1, 2), span('b', 3, 2)])];
    const warnings = [{ code: 'duplicate_span_id' as const, spanId: 'b'.padStart(16, '0'), message: 'dup b' }];
    const { rows } = buildWaterfall(tree, { warnings });
    expect(rows.map((r) => [r.key, r.warnings])).toEqual([
      ['000000000000000a', []],
      ['000000000000000b', ['dup b']],
      ['000000000000000b#1', ['dup b']],
    ]);
  });

  it('when a span has a negative duration, then its bar starts where it starts and has no width', () => {
    const { rows } = buildWaterfall([span('a', 0, 10, [span('b', 5, -3)])]);
    expect(rows[1]).toMatchObject({ durationMs: -3, offsetPct: 50, widthPct: 0 });
  });

  it('when ticks are asked for, then they run from 0 to the total', () => {
    expect(waterfallTicks(200, 4).map((t) => t.ms)).toEqual([0, 50, 100, 150, 200]);
  });
});
