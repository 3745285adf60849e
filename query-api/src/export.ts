/**
 * Streamed exports (`format=csv|ndjson`): every matching row, fetched from the
 * store page by page and written as it comes, waiting for the client to drain
 * before fetching the next page, so memory stays at one page whatever the size.
 */
import type { Page } from '@tooltrace/store';
import type { Response } from 'express';
import { csvHeader, csvLine } from './csv.ts';

export type ExportFormat = 'csv' | 'ndjson';

/** The page size exports read the store with. */
export const EXPORT_PAGE_SIZE = 500;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** Every page of a list, in order, until the store says there is no next page. */
export async function* allPages<T>(
  startCursor: string | undefined,
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T[]> {
  let cursor = startCursor;
  do {
    const page = await fetchPage(cursor);
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** The minimal writable side an export needs; an HTTP response, or any Node writable in tests. */
export interface ExportSink {
  write(chunk: string): boolean;
  end(): unknown;
  readonly destroyed: boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Resolves true when the sink can take more, false when it closed first (the client went away). */
function drained(sink: ExportSink): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      sink.off('drain', onDrain);
      sink.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    sink.once('drain', onDrain);
    sink.once('close', onClose);
  });
}

/**
 * Writes all pages to the sink in the format, one chunk per page, respecting
 * back-pressure; stops early (without ending) when the sink is destroyed.
 */
export async function writeExport<T extends object>(
  sink: ExportSink,
  format: ExportFormat,
  columns: readonly string[],
  pages: AsyncIterable<T[]>,
): Promise<void> {
  if (format === 'csv' && !sink.write(csvHeader(columns)) && !(await drained(sink))) return;
  for await (const items of pages) {
    if (sink.destroyed) return;
    if (items.length === 0) continue;
    const chunk =
      format === 'csv'
        ? items.map((item) => csvLine(columns, item as Record<string, unknown>)).join('')
        : items.map((item) => `${JSON.stringify(item)}\n`).join('');
    if (!sink.write(chunk) && !(await drained(sink))) return;
  }
  sink.end();
}

/**
 * Answers a request with a download of every page. The first page is read
 * before any header goes out, so a store that fails at once still gets a
 * proper JSON error; a failure later can only cut the download short.
 */
export async function sendExport<T extends object>(
  res: Response,
  download: { format: ExportFormat; listName: string; columns: readonly string[]; now: Date },
  pages: AsyncIterable<T[]>,
): Promise<void> {
  const iterator = pages[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* rest(): AsyncGenerator<T[]> {
    if (first.done) return;
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const stamp = download.now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  res.status(200);
  res.setHeader('Content-Type', CONTENT_TYPES[download.format]);
  res.setHeader('Content-Disposition', `attachment; filename="${download.listName}-${stamp}.${download.format}"`);
  res.setHeader('Cache-Control', 'no-store');
  await writeExport(res, download.format, download.columns, rest());
}
