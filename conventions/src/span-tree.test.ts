import { describe, expect, it } from 'vitest';
import type { LogEntry } from './records.ts';
import { buildSpanTree, compareUnixNano } from './span-tree.ts';

let seq = 0;
function entry(
  spanId: string | null,
  parentSpanId: string | null,
  ns: string,
  extra: Partial<LogEntry> = {},
): LogEntry {
  seq += 1;
  return {
    id: `log-${seq}`,
    projectId: 'p',
    traceId: 'a'.repeat(32),
    spanId,
    parentSpanId,
    source: 'span',
    timestamp: new Date(Number(BigInt(ns) / 1_000_000n)).toISOString(),
    timeUnixNano: ns,
    level: 'info',
    kind: 'internal',
    name: `span ${spanId}`,
    message: 'm',
    attributes: {},
    durationMs: 5,
    body: null,
    serviceName: null,
    ...extra,
  };
}

const ids = (nodes: { spanId: string; children: unknown[] }[]): string[] => nodes.map((n) => n.spanId);

describe('buildSpanTree', () => {
  it('nests children under parents, ordered by start time, at any depth', () => {
    const tree = buildSpanTree([
      entry('c2', 'root', '1700000000300000000'),
      entry('g1', 'c1', '1700000000250000000'),
      entry('root', null, '1700000000000000000'),
      entry('c1', 'root', '1700000000200000000'),
    ]);
    expect(ids(tree)).toEqual(['root']);
    expect(ids(tree[0]!.children)).toEqual(['c1', 'c2']);
    expect(ids(tree[0]!.children[0]!.children)).toEqual(['g1']);
    expect(tree[0]).toMatchObject({ name: 'span root', kind: 'internal', durationMs: 5, parentSpanId: null });
  });

  it('keeps spans whose parent is missing as roots, so partial traces render', () => {
    const tree = buildSpanTree([entry('b', 'missing', '2000'), entry('a', null, '1000')]);
    expect(ids(tree)).toEqual(['a', 'b']);
  });

  it('ignores span events and log records, and a span parented to itself', () => {
    const tree = buildSpanTree([
      entry('a', null, '1000'),
      entry('a', null, '1500', { source: 'span_event' }),
      entry(null, null, '1600', { source: 'log_record' }),
      entry('self', 'self', '1700'),
    ]);
    expect(ids(tree)).toEqual(['a', 'self']);
    expect(tree[0]!.children).toEqual([]);
  });

  it('defaults a missing duration to 0 and returns [] for no spans', () => {
    expect(buildSpanTree([entry('a', null, '1', { durationMs: null })])[0]!.durationMs).toBe(0);
    expect(buildSpanTree([])).toEqual([]);
  });
});

describe('compareUnixNano', () => {
  it('orders decimal nanosecond strings numerically without precision loss', () => {
    expect(compareUnixNano('1700000000000000001', '1700000000000000002')).toBeLessThan(0);
    expect(compareUnixNano('999', '1000')).toBeLessThan(0);
    expect(compareUnixNano('1000', '999')).toBeGreaterThan(0);
    expect(compareUnixNano('42', '42')).toBe(0);
    // Beyond Number precision, still exact.
    expect(Number('1700000000000000001') === Number('1700000000000000002')).toBe(true);
  });
});
