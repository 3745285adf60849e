import { describe, expect, it } from 'vitest';
import { getOwn, setOwn } from './own-keys.ts';

describe('setOwn / getOwn', () => {
  it('when the key is `__proto__`, then it is stored as an own key and the prototype stays', () => {
    const target: Record<string, number> = {};
    setOwn(target, '__proto__', 1);
    setOwn(target, 'plain', 2);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.entries(target)).toEqual([
      ['__proto__', 1],
      ['plain', 2],
    ]);
    expect(getOwn(target, '__proto__')).toBe(1);
    expect(JSON.parse(JSON.stringify(target))).toEqual(target);
  });

  it('when a key is only inherited from Object.prototype, then getOwn finds nothing', () => {
    const source: Record<string, number> = { checkout: 1 };
    expect(getOwn(source, 'constructor')).toBeUndefined();
    expect(getOwn(source, 'toString')).toBeUndefined();
    expect(getOwn(source, '__proto__')).toBeUndefined();
    expect(getOwn(source, 'checkout')).toBe(1);
  });
});
