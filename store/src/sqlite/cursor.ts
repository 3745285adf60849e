/**
 * Opaque page cursors: base64url of the sort key of the last row of a page.
 * Pages continue strictly below that key, so rows that arrive between pages
 * (newer, hence above the key) never shift later pages: nothing is skipped
 * or repeated.
 */
import { InvalidCursorError } from '../store.ts';

export type CursorList = 'tool-calls' | 'trigger-events';

export interface SortKey {
  /** Epoch ms of the sort time (startedAt / receivedAt). */
  time: number;
  traceId: string;
  /** Tool calls only; '' for trigger events (keyed by trace). */
  spanId: string;
}

const HEX = /^[0-9a-f]*$/;

export function encodeCursor(list: CursorList, key: SortKey): string {
  return Buffer.from(JSON.stringify([list, key.time, key.traceId, key.spanId])).toString('base64url');
}

export function decodeCursor(list: CursorList, cursor: string): SortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw new InvalidCursorError();
  const [kind, time, traceId, spanId] = parsed as unknown[];
  if (kind !== list) throw new InvalidCursorError(`invalid cursor: it belongs to another list than ${list}`);
  if (typeof time !== 'number' || !Number.isSafeInteger(time)) throw new InvalidCursorError();
  if (typeof traceId !== 'string' || traceId.length !== 32 || !HEX.test(traceId)) throw new InvalidCursorError();
  if (typeof spanId !== 'string' || spanId.length > 16 || !HEX.test(spanId)) throw new InvalidCursorError();
  return { time, traceId, spanId };
}
