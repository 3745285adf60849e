/**
 * Opaque page cursors: base64url of the sort key of the last row of a page.
 * Pages continue strictly below that key, so rows that arrive between pages
 * (newer, hence above the key) never shift later pages: nothing is skipped
 * or repeated.
 */
import { type CursorList, cursorHexId, cursorTime, cursorValues, encodeCursor as encodeValues } from '../cursor.ts';
import { InvalidCursorError } from '../store.ts';

export type { CursorList } from '../cursor.ts';

export interface SortKey {
  /** Epoch ms of the sort time (startedAt / receivedAt). */
  time: number;
  traceId: string;
  /** Tool calls only; '' for trigger events (keyed by trace). */
  spanId: string;
}

export function encodeCursor(list: CursorList, key: SortKey): string {
  return encodeValues(list, [key.time, key.traceId, key.spanId]);
}

export function decodeCursor(list: CursorList, cursor: string): SortKey {
  const values = cursorValues(list, cursor);
  if (values.length !== 3) throw new InvalidCursorError();
  const [time, traceId, spanId] = values;
  return { time: cursorTime(time), traceId: cursorHexId(traceId, 32), spanId: cursorHexId(spanId, 16, true) };
}
