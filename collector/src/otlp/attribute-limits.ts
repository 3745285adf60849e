/**
 * The decoding limits both readers (protobuf, OTLP/JSON) apply the same way:
 * at most MAX_ATTRIBUTES attributes per item (the rest skipped unread and
 * counted), and AnyValue nesting up to MAX_ANY_VALUE_DEPTH.
 */
import { MAX_ANY_VALUE_DEPTH, MAX_ATTRIBUTES, OtlpDecodeError } from './types.ts';

/** How many of the `given` attributes of `item` to read; the rest are counted on it as dropped by the decoder. */
export function attributesToRead(item: { droppedAttributes?: number }, given: number): number {
  if (given <= MAX_ATTRIBUTES) return given;
  item.droppedAttributes = given - MAX_ATTRIBUTES;
  return MAX_ATTRIBUTES;
}

export function isTooDeep(depth: number): boolean {
  return depth > MAX_ANY_VALUE_DEPTH;
}

/** The error for a value at `path` nested past MAX_ANY_VALUE_DEPTH. */
export function tooDeepError(path: string): OtlpDecodeError {
  return new OtlpDecodeError(`${path}: values nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
}
