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

const tree = (logs: LogEntry[]) => buildSpanTree(logs).spans;
const warnings = (logs: LogEntry[]) => buildSpanTree(logs).warnings;

describe('buildSpanTree', () => {
  it('nests children under parents, ordered by start time, at any depth, with no warnings', () => {
    const logs = [
      entry('c2', 'root', '1700000000300000000'),
      entry('g1', 'c1', '1700000000250000000'),
      entry('root', null, '1700000000000000000'),
      entry('c1', 'root', '1700000000200000000'),
    ];
    const roots = tree(logs);
    expect(ids(roots)).toEqual(['root']);
    expect(ids(roots[0]!.children)).toEqual(['c1', 'c2']);
    expect(ids(roots[0]!.children[0]!.children)).toEqual(['g1']);
    expect(roots[0]).toMatchObject({ name: 'span root', kind: 'internal', durationMs: 5, parentSpanId: null });
    expect(warnings(logs)).toEqual([]);
  });

  it('names the attributes, events and links a span lost to sender or collector limits, and nothing for zero counts', () => {
    const logs = [
      entry('a', null, '1000', {
        attributes: {
          'otel.dropped_attributes_count': 3,
          'otel.dropped_events_count': 0,
          'otel.dropped_links_count': 1,
        },
      }),
      entry('b', 'a', '2000', { attributes: { 'otel.dropped_events_count': 0 } }),
    ];
    expect(warnings(logs)).toEqual([
      {
        code: 'dropped_data',
        spanId: 'a',
        message: 'span a: dropped before storage (sender or collector limits): 3 attributes, 1 link',
      },
    ]);
  });

  it('carries structure and timing only: attributes and message stay on the log', () => {
    const node = tree([entry('a', null, '1000', { attributes: { big: 'x'.repeat(100) } })])[0]!;
    expect(Object.keys(node).sort()).toEqual(
      ['children', 'durationMs', 'kind', 'level', 'name', 'parentSpanId', 'spanId', 'timeUnixNano', 'timestamp'].sort(),
    );
  });

  it('keeps spans whose parent is missing as roots, so partial traces render, and names each', () => {
    const logs = [entry('b', 'missing', '2000'), entry('a', null, '1000')];
    expect(ids(tree(logs))).toEqual(['a', 'b']);
    expect(warnings(logs)).toEqual([
      { code: 'missing_parent', spanId: 'b', message: 'span b names parent missing, which is not in this trace (yet)' },
    ]);
  });

  it('keeps both spans of a duplicated span ID, children under the first, and warns once per extra copy', () => {
    const logs = [
      entry('root', null, '1000'),
      entry('dup', 'root', '2000', { name: 'first' }),
      entry('dup', 'root', '3000', { name: 'second' }),
      entry('kid', 'dup', '2500'),
    ];
    const roots = tree(logs);
    expect(roots[0]!.children.map((c) => c.name)).toEqual(['first', 'second']);
    expect(ids(roots[0]!.children[0]!.children)).toEqual(['kid']);
    expect(roots[0]!.children[1]!.children).toEqual([]);
    expect(warnings(logs)).toEqual([
      { code: 'duplicate_span_id', spanId: 'dup', message: 'span ID dup is used by more than one span' },
    ]);
  });

  it('keeps a negative duration as sent and warns about it', () => {
    const logs = [entry('a', null, '1000', { durationMs: -12.5 })];
    expect(tree(logs)[0]!.durationMs).toBe(-12.5);
    expect(warnings(logs)).toEqual([
      { code: 'negative_duration', spanId: 'a', message: 'span a ends 12.5 ms before it starts' },
    ]);
  });

  it('ignores span events and log records, and a span parented to itself', () => {
    const roots = tree([
      entry('a', null, '1000'),
      entry('a', null, '1500', { source: 'span_event' }),
      entry(null, null, '1600', { source: 'log_record' }),
      entry('self', 'self', '1700'),
    ]);
    expect(ids(roots)).toEqual(['a', 'self']);
    expect(roots[0]!.children).toEqual([]);
  });

  it('defaults a missing duration to 0 and returns [] for no spans', () => {
    expect(tree([entry('a', null, '1', { durationMs: null })])[0]!.durationMs).toBe(0);
    expect(buildSpanTree([])).toEqual({ spans: [], warnings: [] });
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
