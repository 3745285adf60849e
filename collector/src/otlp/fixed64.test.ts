import { describe, expect, it } from 'vitest';
import { fixed64ToDecimal, int64ToValue, unsignedDecimal } from './fixed64.ts';

const TWO_64 = 2n ** 64n;

function bitsOf(value: bigint): { low: number; high: number } {
  const unsigned = BigInt.asUintN(64, value);
  return { low: Number(unsigned & 0xffffffffn) | 0, high: Number(unsigned >> 32n) | 0 };
}

/** Deterministic 64-bit values spread over every magnitude (xorshift, no Math.random so failures reproduce). */
function* spreadValues(count: number): Generator<bigint> {
  let state = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < count; i++) {
    state ^= (state << 13n) & (TWO_64 - 1n);
    state ^= state >> 7n;
    state ^= (state << 17n) & (TWO_64 - 1n);
    yield state >> BigInt(i % 64);
  }
}

const EDGES = [
  0n,
  1n,
  999_999_999n,
  2n ** 32n - 1n,
  2n ** 32n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 53n + 1n,
  10n ** 16n,
  9_999_999_999_999_999n,
  1_700_000_000_123_456_789n,
  2n ** 63n - 1n,
  2n ** 63n,
  10n ** 19n,
  TWO_64 - 1n,
];

describe('unsignedDecimal', () => {
  it('when given edge and spread 64-bit values, then it spells them exactly as BigInt does', () => {
    for (const value of [...EDGES, ...spreadValues(5000)]) {
      const { low, high } = bitsOf(value);
      expect(unsignedDecimal(low, high), value.toString()).toBe(value.toString());
    }
  });

  it('when protobufjs decoded the field to a plain number (no long package), then it is spelled as is', () => {
    expect(fixed64ToDecimal(1_700_000_000)).toBe('1700000000');
  });
});

describe('int64ToValue', () => {
  it.each([
    [0n, 0],
    [42n, 42],
    [-1n, -1],
    [2n ** 53n - 1n, 2 ** 53 - 1],
    [-(2n ** 53n - 1n), -(2 ** 53 - 1)],
    [2n ** 53n, '9007199254740992'],
    [-(2n ** 53n) - 1n, '-9007199254740993'],
    [2n ** 63n - 1n, '9223372036854775807'],
    [-(2n ** 63n), '-9223372036854775808'],
  ])('when the signed value is %s, then it reads %j (a number only when safe)', (value, expected) => {
    expect(int64ToValue(bitsOf(value))).toBe(expected);
  });
});
