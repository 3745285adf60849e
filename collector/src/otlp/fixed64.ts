/**
 * 64-bit protobuf integers (protobufjs gives them as `Long`-like `{ low, high }`
 * 32-bit halves) to decimal strings and safe numbers, without `Long.toString`
 * (repeated 64-bit division) or a BigInt round trip on the hot path: every
 * span has two fixed64 timestamps.
 */

/** What protobufjs decodes a 64-bit field into: a Long (low/high int32 halves), or a number without the long package. */
export type Int64Bits = { low: number; high: number } | number;

const TWO_POW_32 = 4294967296;
const BASE_1E7 = 10_000_000;

function pad7(digits: number): string {
  const text = String(digits);
  return '0000000'.slice(text.length) + text;
}

/**
 * Unsigned 64-bit value → decimal string. Above 2^53 the value is split into
 * 24:24:16-bit pieces and reassembled as three base-10^7 digits, each sum
 * staying below 2^53 so doubles add it exactly (the method of Closure's
 * `joinUnsignedDecimalString`).
 */
export function unsignedDecimal(lowBits: number, highBits: number): string {
  const low32 = lowBits >>> 0;
  const high32 = highBits >>> 0;
  if (high32 <= 0x1fffff) return String(high32 * TWO_POW_32 + low32);
  const low = low32 & 0xffffff;
  const mid = ((low32 >>> 24) | (high32 << 8)) & 0xffffff;
  const high = (high32 >>> 16) & 0xffff;
  // 2^24 = 1·10^7 + 6 777 216; 2^48 = 28 147 497·10^7 + 6 710 656 → digit weights per piece.
  let digitA = low + mid * 6777216 + high * 6710656;
  let digitB = mid + high * 8147497;
  let digitC = high * 2;
  if (digitA >= BASE_1E7) {
    digitB += Math.floor(digitA / BASE_1E7);
    digitA %= BASE_1E7;
  }
  if (digitB >= BASE_1E7) {
    digitC += Math.floor(digitB / BASE_1E7);
    digitB %= BASE_1E7;
  }
  return digitC > 0 ? `${digitC}${pad7(digitB)}${pad7(digitA)}` : `${digitB}${pad7(digitA)}`;
}

/** A fixed64 field (nanosecond timestamps) as the decimal string the internal shape holds. */
export function fixed64ToDecimal(value: Int64Bits): string {
  if (typeof value === 'number') return String(value);
  return unsignedDecimal(value.low, value.high);
}

/** A signed int64 (AnyValue `intValue`): a number when it is a safe integer, else its exact decimal string. */
export function int64ToValue(value: Int64Bits): number | string {
  if (typeof value === 'number') return value;
  const approx = value.high * TWO_POW_32 + (value.low >>> 0);
  if (Number.isSafeInteger(approx)) return approx;
  return (BigInt(value.high) * BigInt(TWO_POW_32) + BigInt(value.low >>> 0)).toString();
}
