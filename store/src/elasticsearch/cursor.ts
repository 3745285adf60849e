/**
 * Opaque page cursors over `search_after`: base64url of the list name and the
 * sort values of the last hit of a page. Sorting is on fields that never change
 * for a record (time, trace ID, span ID), so records arriving between pages
 * (newer, hence above the cursor) never shift later pages.
 */
import { InvalidCursorError } from '../store.ts';

export type CursorList = 'tool-calls' | 'trigger-events';

/** [epoch ms, traceId, spanId] for tool calls; [epoch ms, traceId] for trigger events. */
export type SortValues = [number, string, string] | [number, string];

const HEX = /^[0-9a-f]+$/;

export function encodeCursor(list: CursorList, values: SortValues): string {
  return Buffer.from(JSON.stringify([list, ...values])).toString('base64url');
}

export function decodeCursor(list: CursorList, cursor: string): SortValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed)) throw new InvalidCursorError();
  const [kind, time, traceId, spanId, ...rest] = parsed as unknown[];
  if (kind !== list) throw new InvalidCursorError(`invalid cursor: it belongs to another list than ${list}`);
  if (typeof time !== 'number' || !Number.isSafeInteger(time)) throw new InvalidCursorError();
  if (typeof traceId !== 'string' || traceId.length !== 32 || !HEX.test(traceId)) throw new InvalidCursorError();
  if (rest.length > 0) throw new InvalidCursorError();
  if (list === 'trigger-events') {
    if (spanId !== undefined) throw new InvalidCursorError();
    return [time, traceId];
  }
  if (typeof spanId !== 'string' || spanId.length !== 16 || !HEX.test(spanId)) throw new InvalidCursorError();
  return [time, traceId, spanId];
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
