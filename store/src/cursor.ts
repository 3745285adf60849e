/**
 * Opaque page cursors, the part every backend shares: base64url of a JSON array holding the list's name and
 * the sort values of the last record of a page. Each backend says which values its sort needs and checks
 * them with the helpers here; anything malformed is an InvalidCursorError, never a query.
 */
import { InvalidCursorError } from './store.ts';

export type CursorList = 'tool-calls' | 'trigger-events';

export function encodeCursor(list: CursorList, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([list, ...values])).toString('base64url');
}

/** The sort values of a cursor of `list`, unchecked. */
export function cursorValues(list: CursorList, cursor: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed)) throw new InvalidCursorError();
  const [kind, ...values] = parsed as unknown[];
  if (kind !== list) throw new InvalidCursorError(`invalid cursor: it belongs to another list than ${list}`);
  return values;
}

export function cursorTime(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new InvalidCursorError();
  return value;
}

const HEX = /^[0-9a-f]*$/;

/** A lower-case hex ID of exactly `length` characters (or, with `upTo`, at most that many). */
export function cursorHexId(value: unknown, length: number, upTo = false): string {
  const fits = typeof value === 'string' && (upTo ? value.length <= length : value.length === length);
  if (!fits || !HEX.test(value)) throw new InvalidCursorError();
  return value;
}
