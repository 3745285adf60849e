/** Streamed exports of every matching row, over real HTTP from a real SQLite store. */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ToolCall } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge, toolCallTrace, triggerTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const ROWS = 10_000;
// ~2 KB of parameters per row, with quotes and commas so CSV has to escape them: the export is ~25 MB.
const PARAMETERS = JSON.stringify({ text: 'x, "quoted"'.repeat(180) });

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let t: TestApi;
let pid: string;
let readKey: string;
const now = Date.now();

beforeAll(async () => {
  t = await startTestApi();
  const project = await t.store.createProject({ name: 'export', plan: 'pro' });
  pid = project.project.projectId;
  readKey = project.readKey;
  for (let start = 0; start < ROWS; start += 1000) {
    const batch = merge(
      Array.from({ length: 1000 }, (_, i) => {
        const n = start + i;
        return toolCallTrace({
          at: now - n * 1000,
          status: n % 10 === 0 ? 'error' : 'success',
          toolName: n === 0 ? '=HYPERLINK("http://evil.example")' : 'SLACK_SEND_MESSAGE',
          parameters: PARAMETERS,
        }).batch;
      }),
    );
    // Logs are not exported; leave them out to keep the fixture fast.
    batch.logs = [];
    await t.store.write(pid, batch);
  }
}, 120_000);
afterAll(() => t?.close());

describe('GET /api/v1/tool-calls?format=csv', () => {
  // 25 MB through a real server with a forced GC every 2 MB: on a busy 2-core machine that can
  // outlast the default 30 s, and slowness is the bench's business, not this test's.
  it('when exporting 10 000 rows, then all arrive, streamed in many chunks, with bounded heap growth', async () => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const response = await t.call('/api/v1/tool-calls?format=csv&limit=5', { key: readKey });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="tool-calls-[\dT:-]+Z\.csv"$/);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');

    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let chunks = 0;
    let bytes = 0;
    let nextSampleAt = 0;
    let maxGrowth = 0;
    let lines = 0;
    let tail = '';
    const traceIds = new Set<string>();
    let header = '';
    let injected = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks += 1;
      bytes += value.byteLength;
      // Count rows as they come instead of keeping the body, so the test itself stays small.
      const parts = (tail + decoder.decode(value, { stream: true })).split('\r\n');
      tail = parts.pop() ?? '';
      for (const line of parts) {
        if (lines === 0) header = line;
        // A fresh copy: a slice would keep the whole chunk alive and the test would measure its own memory.
        else traceIds.add(Buffer.from(line.slice(0, 32), 'latin1').toString('latin1'));
        if (line.includes('HYPERLINK')) injected = line;
        lines += 1;
      }
      if (bytes >= nextSampleAt) {
        gc();
        maxGrowth = Math.max(maxGrowth, process.memoryUsage().heapUsed - baseline);
        nextSampleAt += 2 * 1024 * 1024;
      }
    }
    expect(tail).toBe('');
    expect(header.split(',').slice(0, 4)).toEqual(['traceId', 'spanId', 'requestId', 'projectId']);
    expect(lines).toBe(ROWS + 1);
    expect(traceIds.size).toBe(ROWS);
    // Formula injection is defused: the cell starts with a quote character, inside CSV quoting.
    expect(injected).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(bytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(chunks).toBeGreaterThan(ROWS / 500);
    // A buffered export would hold the whole body (> 20 MB) at once; streaming holds about one page.
    expect(maxGrowth).toBeLessThan(12 * 1024 * 1024);
  }, 180_000);

  it('when exporting NDJSON with a filter, then exactly the matching rows come, one JSON record a line', async () => {
    const response = await t.call('/api/v1/tool-calls?format=ndjson&status=error', { key: readKey });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/filename="tool-calls-.*\.ndjson"/);
    const records = (await response.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as ToolCall);
    expect(records).toHaveLength(ROWS / 10);
    expect(records.every((r) => r.status === 'error' && r.projectId === pid)).toBe(true);
  });

  it('when exporting trigger events as CSV, then user IDs are joined and the rows are those of the project', async () => {
    await t.store.write(
      pid,
      merge([triggerTrace({ at: now, userId: 'u-1' }).batch, triggerTrace({ at: now - 1, userId: 'u-2' }).batch]),
    );
    const response = await t.call('/api/v1/trigger-events?format=csv', { key: readKey });
    expect(response.headers.get('content-disposition')).toMatch(/filename="trigger-events-.*\.csv"/);
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'eventId,traceId,projectId,type,triggerId,triggerName,integration,subscriptionModel,userIds,receivedAt,status,deliveryCount,failedDeliveryCount',
    );
    expect(lines.slice(1).map((line) => line.split(',')[8])).toEqual(['u-1', 'u-2']);
  });

  it('when the export parameters are invalid, then it is a JSON 400, not a broken download', async () => {
    const response = await t.call('/api/v1/tool-calls?format=xlsx', { key: readKey });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('"format"');
  });
});
