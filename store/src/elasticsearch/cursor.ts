/**
 * Opaque page cursors over `search_after`: base64url of the list name and the
 * sort values of the last hit of a page. Sorting is on fields that never change
 * for a record (time, trace ID, span ID), so records arriving between pages
 * (newer, hence above the cursor) never shift later pages.
 */
import { type CursorList, cursorHexId, cursorTime, cursorValues } from '../cursor.ts';
import { InvalidCursorError } from '../store.ts';

export { type CursorList, encodeCursor } from '../cursor.ts';

/** [epoch ms, traceId, spanId] for tool calls; [epoch ms, traceId] for trigger events. */
export type SortValues = [number, string, string] | [number, string];

export function decodeCursor(list: CursorList, cursor: string): SortValues {
  const values = cursorValues(list, cursor);
  if (values.length !== (list === 'trigger-events' ? 2 : 3)) throw new InvalidCursorError();
  const [time, traceId, spanId] = values;
  if (list === 'trigger-events') return [cursorTime(time), cursorHexId(traceId, 32)];
  return [cursorTime(time), cursorHexId(traceId, 32), cursorHexId(spanId, 16)];
}

/** Reads a hit's sort values back into cursor form; anything else means the query and cursor disagree. */
export function sortValuesOf(list: CursorList, sort: unknown[] | undefined): SortValues {
  const [time, traceId, spanId] = sort ?? [];
  if (typeof time !== 'number' || typeof traceId !== 'string') {
    throw new Error(`unexpected sort values from Elasticsearch: ${JSON.stringify(sort)}`);
  }
  if (list === 'trigger-events') return [time, traceId];
  if (typeof spanId !== 'string') throw new Error(`unexpected sort values from Elasticsearch: ${JSON.stringify(sort)}`);
  return [time, traceId, spanId];
}
