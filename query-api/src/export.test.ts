import { PassThrough } from 'node:stream';
import type { Page } from '@tooltrace/store';
import { describe, expect, it } from 'vitest';
import { allPages, writeExport } from './export.ts';

interface Row {
  id: number;
  note: string;
}

/** A paged source of `total` rows that counts how many pages were asked for. */
function source(total: number, pageSize: number) {
  const state = { pagesFetched: 0 };
  const fetchPage = async (cursor: string | undefined): Promise<Page<Row>> => {
    state.pagesFetched += 1;
    const start = cursor === undefined ? 0 : Number(cursor);
    const end = Math.min(total, start + pageSize);
    const items = Array.from({ length: end - start }, (_, i) => ({ id: start + i, note: `row, ${start + i}` }));
    return { items, nextCursor: end < total ? String(end) : null };
  };
  return { state, fetchPage };
}

async function readAll(stream: PassThrough): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

describe('writeExport', () => {
  it('when exporting CSV, then every row of every page is written once after a header', async () => {
    const { fetchPage } = source(1234, 100);
    const sink = new PassThrough();
    const done = readAll(sink);
    await writeExport(sink, 'csv', ['id', 'note'], allPages(undefined, fetchPage));
    const lines = (await done).split('\r\n');
    expect(lines[0]).toBe('id,note');
    expect(lines.slice(1, -1)).toHaveLength(1234);
    expect(lines[1]).toBe('0,"row, 0"');
    expect(lines.at(-2)).toBe('1233,"row, 1233"');
  });

  it('when exporting NDJSON, then each line is one JSON record', async () => {
    const { fetchPage } = source(250, 100);
    const sink = new PassThrough();
    const done = readAll(sink);
    await writeExport(sink, 'ndjson', [], allPages(undefined, fetchPage));
    const records = (await done)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
    expect(records.map((r) => r.id)).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('when the reader does not drain, then no further page is fetched until it does (back-pressure)', async () => {
    const { state, fetchPage } = source(10_000, 500);
    // A real stream with a tiny buffer and nobody reading: a write beyond it reports "full".
    const sink = new PassThrough({ highWaterMark: 1024 });
    const writing = writeExport(sink, 'csv', ['id', 'note'], allPages(undefined, fetchPage));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.pagesFetched).toBe(1);
    const done = readAll(sink);
    await writing;
    expect(state.pagesFetched).toBe(20);
    expect((await done).split('\r\n').length - 2).toBe(10_000);
  });

  it('when the reader goes away mid-export, then the export stops without fetching the rest', async () => {
    const { state, fetchPage } = source(10_000, 500);
    const sink = new PassThrough({ highWaterMark: 1024 });
    const writing = writeExport(sink, 'csv', ['id'], allPages(undefined, fetchPage));
    await new Promise((resolve) => setImmediate(resolve));
    sink.destroy();
    await writing;
    expect(state.pagesFetched).toBeLessThan(3);
  });
});
