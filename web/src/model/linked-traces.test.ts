import { describe, expect, it } from 'vitest';
import { linkAttributesLine, linkedTraces } from './linked-traces.ts';
import { logEntry } from './log-entry.fixture.ts';

const OTHER = '0af7651916cd43dd8448eb211c80319c';

describe('linkedTraces', () => {
  it('lists every link of every span, in log order, naming the linking span', () => {
    const first = logEntry({
      spanId: '1111111111111111',
      name: 'process batch',
      links: [
        { traceId: OTHER, spanId: 'b7ad6b7169203331', attributes: { 'messaging.message.id': 'm-1' } },
        { traceId: OTHER, spanId: 'c7ad6b7169203331', attributes: {} },
      ],
    });
    const plain = logEntry({ spanId: '2222222222222222' });
    const event = logEntry({ source: 'span_event', spanId: '1111111111111111' });
    const same = logEntry({
      spanId: '3333333333333333',
      name: null,
      message: 'retry',
      links: [{ traceId: first.traceId, spanId: '1111111111111111', attributes: {} }],
    });
    const rows = linkedTraces([first, plain, event, same]);
    expect(rows.map((r) => [r.fromSpan, r.traceId, r.spanId, r.sameTrace])).toEqual([
      ['process batch', OTHER, 'b7ad6b7169203331', false],
      ['process batch', OTHER, 'c7ad6b7169203331', false],
      ['retry', first.traceId, '1111111111111111', true],
    ]);
  });

  it('is empty when no span has links', () => {
    expect(linkedTraces([logEntry({})])).toEqual([]);
  });
});

describe('linkAttributesLine', () => {
  it('joins attributes as key=value, JSON for non-strings, and is null for none', () => {
    expect(linkAttributesLine({ reason: 'retry', attempt: 2, tags: ['a'] })).toBe(
      'reason=retry · attempt=2 · tags=["a"]',
    );
    expect(linkAttributesLine({})).toBeNull();
  });
});
