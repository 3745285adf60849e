import { describe, expect, it } from 'vitest';
import { contrastRatio, parseHex, parseRgb } from './contrast.ts';

describe('contrast ratio', () => {
  it('when black meets white, then the ratio is 21; equal colours give 1', () => {
    expect(contrastRatio(parseRgb('rgb(0, 0, 0)'), parseHex('#ffffff'))).toBeCloseTo(21, 5);
    expect(contrastRatio(parseHex('#767676'), parseHex('#767676'))).toBe(1);
  });

  it('when WCAG’s reference grey #767676 is on white, then it just passes 4.5', () => {
    expect(contrastRatio(parseHex('#767676'), parseHex('#ffffff'))).toBeCloseTo(4.54, 2);
  });

  it('when a colour is not rgb or hex, then the error names it', () => {
    expect(() => parseRgb('light-dark(red, blue)')).toThrow(/light-dark/);
  });
});
