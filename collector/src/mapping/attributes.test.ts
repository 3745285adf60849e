import { describe, expect, it } from 'vitest';
import { truncateAttributes } from './attributes.ts';

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
