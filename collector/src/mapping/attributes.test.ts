import { describe, expect, it } from 'vitest';
import type { OtlpAttributes } from '../otlp/types.ts';
import { storedAttributes, truncateAttributes } from './attributes.ts';

describe('truncateAttributes', () => {
  it('when keys are __proto__ or constructor, then the copy keeps them as ordinary attributes', () => {
    const attrs = JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":"c","nested":{"__proto__":"x"}}');
    const out = truncateAttributes(attrs, 16);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'nested']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":"yes"},"constructor":"c","nested":{"__proto__":"x"}}');
  });

  it('when strings, nested strings and keys are too long, then each is cut and says how much', () => {
    const out = truncateAttributes({ ok: 'ok', long: 'abcdefghij', list: ['abcdefghij'], abcdefghij: 1 }, 4);
    expect(out).toEqual({
      ok: 'ok',
      long: 'abcd…[truncated: 6 of 10 characters omitted]',
      list: ['abcd…[truncated: 6 of 10 characters omitted]'],
      'abcd…[truncated: 6 of 10 characters omitted]': 1,
    });
  });
});

describe('storedAttributes', () => {
  // What it replaces: spread, delete, truncate, in three copies.
  const reference = (attrs: OtlpAttributes, drop: string, max: number, extra: OtlpAttributes | null) => {
    const merged: OtlpAttributes = { ...attrs, ...extra };
    delete merged[drop];
    return truncateAttributes(merged, max);
  };
  const cases: [string, OtlpAttributes, number, OtlpAttributes | null][] = [
    ['no extra', { a: 1, body: 'secret', b: 'long value here' }, 8, null],
    ['extra overriding in place', { 'otel.status_code': 'stale', a: 1, b: 2 }, 64, { 'otel.status_code': 'ERROR' }],
    ['extra appended in its own order', { a: 1 }, 64, { 'event.name': 'e', 'log.severity_text': 'WARN' }],
    ['extra naming the dropped key', { a: 1, body: 'x' }, 64, { body: 'y', c: 3 }],
    ['tiny limit truncating keys alike', { aaaaaX: 1, 'otel.status_code': 0, aaaaaY: 2 }, 5, { aaaaaX: 'e' }],
    ['__proto__ keys and nested values', JSON.parse('{"__proto__":{"p":1},"n":{"deep":["abcdefghijk"]}}'), 4, null],
  ];

  it.each(cases)('when %s, then the one-copy result equals spread + delete + truncate', (_, attrs, max, extra) => {
    const out = storedAttributes(attrs, 'body', max, extra);
    const expected = reference(attrs, 'body', max, extra);
    expect(Object.keys(out)).toEqual(Object.keys(expected));
    expect(JSON.stringify(out)).toBe(JSON.stringify(expected));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('when it copies, then the input attributes are left as they were', () => {
    const attrs: OtlpAttributes = { body: 'kept in the input', a: 'abcdefghij' };
    storedAttributes(attrs, 'body', 4, { a: 'z' });
    expect(attrs).toEqual({ body: 'kept in the input', a: 'abcdefghij' });
  });
});
