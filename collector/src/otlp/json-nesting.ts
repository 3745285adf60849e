/**
 * A byte scan for bracket depth, run on an OTLP/JSON body before JSON.parse:
 * a body nested deeper than any valid request can be (MAX_JSON_NESTING) is
 * refused in one linear pass instead of being parsed in full and refused
 * afterwards. Brackets inside strings do not count.
 */
import { MAX_JSON_NESTING, OtlpDecodeError } from './types.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Throws OtlpDecodeError naming the byte offset where the nesting passed the limit. */
export function checkJsonNesting(body: Uint8Array, limit: number = MAX_JSON_NESTING): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > limit) {
        throw new OtlpDecodeError(
          `request body nests JSON deeper than ${limit} levels (at byte ${i}); no valid OTLP request does`,
        );
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
}
