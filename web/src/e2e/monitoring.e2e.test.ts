/**
 * End to end: the built UI served by the real `tooltrace start` (SQLite store, collector, query
 * API, demo traffic from the SDK), driven in Debian's Chromium. Screenshots of both tabs and both
 * detail views go to test-artifacts/ (not committed).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogEntry, ToolCall, TraceDetailResponse, TriggerEvent } from '@tooltrace/conventions';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from './browser.ts';
import { columnTexts, dataRows, rowsShowing } from './grid.ts';
import { sendOddTrace, sendToolCall, sendToolCalls } from './otlp.ts';
import { REPO_ROOT, type RunningTooltrace, startTooltrace } from './tooltrace-process.ts';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const WAIT = { timeout: 20_000 };

type Page_<T> = { items: T[]; nextCursor: string | null };
type Trace = TraceDetailResponse;

let tooltrace: RunningTooltrace;
let browser: Browser;
let page: Page;

const toolGrid = () => page.getByRole('grid', { name: 'Tool calls' });
const triggerGrid = () => page.getByRole('grid', { name: 'Trigger events' });
async function selectFilter(label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).selectOption(value);
}

/** A full-page shot of the settled view: entrance animations (the panel's slide-in) are finished first. */
async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

function searchParam(name: string): string | null {
  return new URL(page.url()).searchParams.get(name);
}

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  tooltrace = await startTooltrace();
  browser = await launchBrowser();
  page = browser.page;
  // Every test starts signed in (the session key lives in the tab), so each can also run alone.
  await page.goto(tooltrace.uiLink);
  await dataRows(toolGrid()).first().waitFor(WAIT);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await tooltrace?.stop();
});

describe('Monitoring UI against tooltrace start', () => {
  it('when the printed link is opened, then the UI is signed in, the key leaves the URL and the Tools tab lists calls', async () => {
    await page.goto(tooltrace.uiLink);
    await dataRows(toolGrid()).first().waitFor(WAIT);
    expect(page.url()).not.toContain('readKey');
    expect(new URL(page.url()).pathname).toBe('/tools');
    await expect(page.getByRole('link', { name: 'Tools' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.getByTestId('retention-plan').waitFor(WAIT);
    await screenshot('tools-tab');
  });

  it('when each Tools filter is set, then the URL carries it and every row matches', async () => {
    const { items } = await tooltrace.api<Page_<ToolCall>>('/tool-calls?limit=200');
    const sample = items.find((c) => c.status === 'error' && c.toolName && c.integration && c.userId) ?? items[0]!;
    const base = `/tools`;

    await page.goto(`${tooltrace.origin}${base}`);
    await selectFilter('Integration', sample.integration!);
    expect(searchParam('integration')).toBe(sample.integration);
    await rowsShowing(page, toolGrid(), 3, sample.integration!);
    // The active picker still offers the other integrations, so switching needs no clearing first.
    const integrations = await tooltrace.api<{ integrations: unknown[] }>('/facets/tool-calls');
    if (integrations.integrations.length > 1) {
      await page.waitForFunction(
        () => (document.querySelector('select[data-filter="integration"]')?.querySelectorAll('option').length ?? 0) > 2,
        undefined,
        WAIT,
      );
    }

    await page.goto(`${tooltrace.origin}${base}`);
    await selectFilter('Status', 'error');
    expect(searchParam('status')).toBe('error');
    await rowsShowing(page, toolGrid(), 5, 'Error');

    await page.goto(`${tooltrace.origin}${base}`);
    await selectFilter('Tool name', sample.toolName!);
    expect(searchParam('toolName')).toBe(sample.toolName);
    await rowsShowing(page, toolGrid(), 2, sample.toolName!);

    await page.goto(`${tooltrace.origin}${base}`);
    await selectFilter('Type', 'run_tool');
    expect(searchParam('type')).toBe('run_tool');
    await rowsShowing(page, toolGrid(), 1, 'Run tool');

    await page.goto(`${tooltrace.origin}${base}`);
    const user = page.getByLabel('User ID', { exact: true });
    await user.fill(sample.userId!);
    await user.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('userId') === sample.userId, WAIT);
    await rowsShowing(page, toolGrid(), 4, sample.userId!);

    await page.goto(`${tooltrace.origin}${base}`);
    const search = page.getByLabel('Trace / request ID');
    await search.fill(sample.requestId.toUpperCase());
    await search.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('traceId') === sample.traceId, WAIT);
    const tools = await rowsShowing(page, toolGrid(), 2, sample.toolName!);
    expect(tools.length).toBeGreaterThanOrEqual(1);

    await page.goto(`${tooltrace.origin}${base}`);
    await page.getByRole('radio', { name: 'Last 7 days' }).click();
    await page.waitForURL((url) => url.searchParams.get('range') === '7d', WAIT);
    await expect(page.getByRole('radio', { name: 'Last 7 days' }).getAttribute('aria-checked')).resolves.toBe('true');
    await dataRows(toolGrid()).first().waitFor(WAIT);

    // Filters combine, and a reload of the URL reproduces them.
    await page.goto(
      `${tooltrace.origin}${base}?status=error&integration=${encodeURIComponent(sample.integration!)}&range=7d`,
    );
    await rowsShowing(page, toolGrid(), 3, sample.integration!);
    expect(await columnTexts(toolGrid(), 5)).toEqual(expect.arrayContaining(['Error']));
    expect(new Set(await columnTexts(toolGrid(), 5))).toEqual(new Set(['Error']));
    await expect(page.getByLabel('Status', { exact: true }).inputValue()).resolves.toBe('error');
  });

  it('when a whole error body with a requestId is pasted into the search box, then the UI lands on that trace', async () => {
    const { items } = await tooltrace.api<Page_<ToolCall>>('/tool-calls?status=error&limit=1');
    const failed = items[0];
    expect(failed, 'the demo sends at least one failing tool call').toBeDefined();
    const errorBody = JSON.stringify({
      message: failed!.errorMessage,
      code: failed!.errorCode,
      status: failed!.httpStatus,
      meta: { requestId: failed!.requestId },
    });

    await page.goto(`${tooltrace.origin}/tools`);
    const search = page.getByLabel('Trace / request ID');
    await search.focus();
    await search.evaluate((input, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, errorBody);

    await page.waitForURL(`**/tools/trace/${failed!.traceId}`, WAIT);
    await expect(page.getByTestId('request-id').textContent()).resolves.toBe(failed!.requestId);
  });

  it('when a provider error log is expanded, then its HTTP status and response body are shown', async () => {
    const { items } = await tooltrace.api<Page_<ToolCall>>('/tool-calls?status=error&limit=100');
    let found: { call: ToolCall; log: LogEntry } | undefined;
    for (const call of items) {
      const trace = await tooltrace.api<Trace>(`/traces/${call.traceId}`);
      const log = trace.logs.find((l) => l.kind === 'provider_request' && l.level === 'error' && l.body);
      if (log) {
        found = { call, log };
        break;
      }
    }
    expect(found, 'the demo sends a provider request that fails with a response body').toBeDefined();
    const { call, log } = found!;

    await page.goto(`${tooltrace.origin}/tools/trace/${call.requestId}`);
    await page.getByRole('table', { name: 'Span waterfall' }).waitFor(WAIT);
    const item = page.locator('li[data-level="error"]', { hasText: log.message });
    const summary = item.first().locator(':scope > button');
    await expect(summary.getAttribute('aria-expanded')).resolves.toBe('false');
    await summary.click();
    await expect(summary.getAttribute('aria-expanded')).resolves.toBe('true');

    const body = await item.first().getByTestId('response-body').textContent();
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(body ?? '')).toBe(squash(log.body!));
    const status = log.attributes['http.response.status_code'];
    if (status !== undefined) await item.first().getByText(String(status), { exact: true }).first().waitFor(WAIT);
    await screenshot('log-trace-view');
  });

  it('when a trace holds spans that look wrong, then each is drawn and flagged, and a badge counts the warnings', async () => {
    const traceId = await sendOddTrace(tooltrace.collectorUrl, tooltrace.ingestKey, 'ODD_E2E_TRACE');
    const trace = await tooltrace.api<Trace>(`/traces/${traceId}`);
    expect(trace.warnings.map((w) => w.code).sort()).toEqual([
      'duplicate_span_id',
      'missing_parent',
      'negative_duration',
    ]);

    await page.goto(`${tooltrace.origin}/tools/trace/${traceId}`);
    const waterfall = page.getByRole('table', { name: 'Span waterfall' });
    await waterfall.waitFor(WAIT);
    await expect(page.getByTestId('trace-warnings').locator('summary').textContent()).resolves.toContain('3 warnings');
    const flagged = await waterfall
      .locator('[role="row"]')
      .filter({ has: page.locator('.badge-warning') })
      .evaluateAll((rows) => rows.map((row) => row.querySelector('[data-testid="span-name"]')?.textContent));
    expect(flagged.sort()).toEqual(['first of a pair', 'orphan', 'second of a pair', 'skewed clock']);
    await screenshot('log-trace-warnings');
  });

  it('when a trigger event with delivery failures is opened, then the panel shows its failed deliveries and logs', async () => {
    await page.goto(`${tooltrace.origin}/triggers`);
    await dataRows(triggerGrid()).first().waitFor(WAIT);
    await screenshot('triggers-tab');

    await selectFilter('Status', 'delivery_failures');
    expect(searchParam('status')).toBe('delivery_failures');
    await rowsShowing(page, triggerGrid(), 5, 'Delivery Failures');
    await dataRows(triggerGrid()).first().click();
    await page.waitForURL(/\/triggers\/event\/[^/?]+\?status=delivery_failures/, WAIT);

    const panel = page.getByRole('complementary', { name: 'Trigger event detail' });
    await panel.locator('[data-status-label="Delivery Failures"]').waitFor(WAIT);
    await panel.locator('[data-status-label="Failed"]').first().waitFor(WAIT);
    await panel.getByRole('list', { name: 'Event logs' }).waitFor(WAIT);
    await screenshot('trigger-event-detail');

    const eventId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    const detail = await tooltrace.api<{ deliveries: { status: string }[] }>(
      `/trigger-events/${encodeURIComponent(eventId)}`,
    );
    expect(detail.deliveries.some((d) => d.status === 'failed')).toBe(true);

    // A timeline entry expands to its full payload with the trace ID.
    const firstLog = panel.getByRole('list', { name: 'Event logs' }).locator('li[data-level] > button').first();
    await firstLog.click();
    await panel.getByRole('tree').first().waitFor(WAIT);
    await panel.getByText('Trace ID').first().waitFor(WAIT);

    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.pathname === '/triggers', WAIT);
  });

  it('when a deep link is reloaded, then the same trace or event is shown again', async () => {
    const { items } = await tooltrace.api<Page_<TriggerEvent>>('/trigger-events?status=delivery_failures&limit=1');
    const event = items[0]!;
    await page.goto(
      `${tooltrace.origin}/triggers/event/${encodeURIComponent(event.eventId!)}?status=delivery_failures`,
    );
    const panel = page.getByRole('complementary', { name: 'Trigger event detail' });
    await panel.getByText(event.eventId!).first().waitFor(WAIT);
    await page.reload();
    await panel.getByText(event.eventId!).first().waitFor(WAIT);
    await expect(page.getByLabel('Status', { exact: true }).inputValue()).resolves.toBe('delivery_failures');

    const { items: calls } = await tooltrace.api<Page_<ToolCall>>('/tool-calls?limit=1');
    await page.goto(`${tooltrace.origin}/tools/trace/${calls[0]!.traceId}?range=7d`);
    await page.getByTestId('request-id').waitFor(WAIT);
    await page.reload();
    await expect(page.getByTestId('request-id').textContent()).resolves.toBe(calls[0]!.requestId);
    await page.getByRole('link', { name: '← Tool calls' }).click();
    await page.waitForURL((url) => url.pathname === '/tools' && url.searchParams.get('range') === '7d', WAIT);
  });

  it('when the keyboard is used, then / focuses search, j/k move, Enter opens and Esc goes back', async () => {
    await page.goto(`${tooltrace.origin}/tools`);
    await dataRows(toolGrid()).nth(1).waitFor(WAIT);
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('trace-search');
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    await expect(dataRows(toolGrid()).nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tools\/trace\/[0-9a-f]{32}/, WAIT);
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.pathname === '/tools', WAIT);
  });

  it('when live mode is on and a tool call arrives, then it is put on top with a "new" indicator', async () => {
    await page.goto(`${tooltrace.origin}/tools`);
    await dataRows(toolGrid()).first().waitFor(WAIT);
    await page.getByRole('button', { name: 'Live' }).click();
    await page.waitForURL((url) => url.searchParams.get('live') === '1', WAIT);
    await page.locator('[data-live-state="live"]').waitFor(WAIT);

    const sent = await sendToolCall(tooltrace.collectorUrl, tooltrace.ingestKey, 'LIVE_E2E_PING');
    const row = dataRows(toolGrid()).filter({ hasText: sent.toolName });
    await row.waitFor(WAIT);
    expect(await row.getAttribute('data-new')).toBe('true');
    // Prepended: it sits above every row that was fetched before live mode started.
    expect(Number(await row.getAttribute('data-index'))).toBeLessThan(
      Number(
        await page
          .getByTestId('live-count')
          .textContent()
          .then((t) => t?.split(' ')[0]),
      ),
    );

    await page.getByRole('button', { name: 'Live' }).click();
    await page.waitForURL((url) => url.searchParams.get('live') === null, WAIT);
  });

  it('when the current filter is exported, then the download holds exactly the matching rows', async () => {
    await page.goto(`${tooltrace.origin}/tools?status=error&range=7d`);
    await dataRows(toolGrid()).first().waitFor(WAIT);
    await page.getByLabel('Export the rows of the current filter').click();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /CSV/ }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^tooltrace-tool-calls-.*\.csv$/);
    const csvText = await fs.readFile((await csv.path())!, 'utf8');

    await page.getByLabel('Export the rows of the current filter').click();
    const [ndjson] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /NDJSON/ }).click(),
    ]);
    const records = (await fs.readFile((await ndjson.path())!, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ToolCall);

    const { items } = await tooltrace.api<Page_<ToolCall>>(
      `/tool-calls?status=error&limit=500&from=${Date.now() - 7 * 86_400_000}`,
    );
    expect(records.length).toBe(items.length);
    expect(records.every((r) => r.status === 'error')).toBe(true);
    expect(csvText.split('\n')[0]).toContain('traceId');
    for (const item of items) expect(csvText).toContain(item.traceId);
  });

  it('when the table is scrolled to its end, then the next pages load through the cursor', async () => {
    const count = 150; // more than one page of 100
    await sendToolCalls(tooltrace.collectorUrl, tooltrace.ingestKey, 'BULK_E2E_SCROLL', count);
    // The collector answered 200 only after the store wrote the batch: every call is there now.
    const { items } = await tooltrace.api<Page_<ToolCall>>('/tool-calls?toolName=BULK_E2E_SCROLL&limit=500');
    expect(items).toHaveLength(count);

    await page.goto(`${tooltrace.origin}/tools?toolName=BULK_E2E_SCROLL`);
    await dataRows(toolGrid()).first().waitFor(WAIT);
    await expect(toolGrid().getAttribute('aria-rowcount')).resolves.toBe('101');
    await page.waitForFunction(
      (expected) => {
        const scroller = document.querySelector('[data-testid="grid-scroll"]');
        if (scroller) scroller.scrollTop = scroller.scrollHeight;
        return document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') === expected;
      },
      String(count + 1),
      { ...WAIT, polling: 200 },
    );
    await page.getByText(`${count} calls · end of results`).waitFor(WAIT);
  });

  it('when the window is narrow, then the Tools tab still shows its filters and rows', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await page.goto(`${tooltrace.origin}/tools`);
    await dataRows(toolGrid()).first().waitFor(WAIT);
    await page.getByLabel('Trace / request ID').waitFor(WAIT);
    await screenshot('tools-tab-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('when the session is signed out, then the sign-in form takes a read key and rejects others', async () => {
    await page.goto(`${tooltrace.origin}/tools`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    const key = page.getByLabel('Read or admin key');
    await key.fill('tt_read_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That read key was not accepted').waitFor(WAIT);
    await key.fill(tooltrace.readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await dataRows(toolGrid()).first().waitFor(WAIT);
    expect(browser.pageErrors).toEqual([]);
  });
});
