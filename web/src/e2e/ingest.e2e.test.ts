/**
 * Issue 18 in Debian's Chromium against the real `tooltrace start`: a project fed only plain
 * OpenTelemetry (official SDK and OTLP/protobuf exporters, no tooltrace attributes) sees, in the
 * empty Tools and Triggers tabs, what did arrive, a link to what makes a tool call and one to a
 * sample trace of what arrived (whose page says it is neither); the quota meter leads to the Ingest
 * panel with counts by sender and reason, the last message of each kind, each sender's sample
 * traces, and the plain note that log records without a trace ID are rejected. At 1440×900 and 390×844;
 * screenshots go to test-artifacts/triage/.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from './browser.ts';
import { createProject, type ProjectKeys, sendLogsWithoutTrace, sendPlainSpans } from './plain-sender.ts';
import { TRIAGE_ARTIFACTS, VIEWPORTS } from './session.ts';
import { type RunningTooltrace, startTooltrace } from './tooltrace-process.ts';

const WAIT = { timeout: 20_000 };
const DOCS = 'https://github.com/tooltrace/tooltrace/blob/main/docs/sending-telemetry.md';

let tooltrace: RunningTooltrace;
let browser: Browser;
let page: Page;
let plain: ProjectKeys;

interface IngestStatus {
  last24h: { totals: { accepted: number }; byReason: { reason: string; count: number }[] };
}

beforeAll(async () => {
  tooltrace = await startTooltrace();
  plain = await createProject(tooltrace.dataDir, 'plain-otel');
  await sendPlainSpans(tooltrace.collectorUrl, plain.ingestKey, 'checkout', 5);
  await sendPlainSpans(tooltrace.collectorUrl, plain.ingestKey, 'search', 3);
  await sendPlainSpans(tooltrace.collectorUrl, plain.ingestKey, 'mailer', 2);
  await sendLogsWithoutTrace(tooltrace.collectorUrl, plain.ingestKey, 'mailer', 2);
  // The collector writes the ingest status every few seconds: wait (bounded) until it holds all of it.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${tooltrace.origin}/api/v1/project/ingest`, {
      headers: { Authorization: `Bearer ${plain.readKey}` },
    });
    const status = (await response.json()) as IngestStatus;
    const logs = status.last24h.byReason.find((r) => r.reason === 'log_without_trace')?.count ?? 0;
    if (status.last24h.totals.accepted === 10 && logs === 2) break;
    if (Date.now() > deadline)
      throw new Error(`the ingest status never showed what was sent: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(`${tooltrace.origin}/#readKey=${plain.readKey}`);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await tooltrace?.stop();
});

/** A sample-trace link leads to that trace's page, which shows its span and says it is no tool call or trigger event. */
async function followSampleLink(link: Locator, tab: 'tools' | 'triggers'): Promise<void> {
  const href = await link.getAttribute('href');
  const traceId = href?.match(new RegExp(`^/${tab}/trace/([0-9a-f]{32})$`))?.[1];
  expect(traceId, `sample link ${href}`).toBeDefined();
  await link.click();
  await page.waitForURL((u) => u.pathname === href, WAIT);
  const title = page.getByTestId('summary-title');
  await title.waitFor(WAIT);
  await expect(title.textContent()).resolves.toBe(`Trace ${traceId}`);
  // The summary panel around the title.
  await expect(title.locator('xpath=..').textContent()).resolves.toContain(
    'This trace is not a tool call or a trigger event',
  );
  const spans = page.getByRole('table', { name: 'Span waterfall' }).getByTestId('span-name');
  await spans.first().waitFor(WAIT);
  await expect(spans.allTextContents()).resolves.toEqual([expect.stringMatching(/^GET \/orders\/\d$/)]);
}

for (const viewport of VIEWPORTS) {
  const shot = (name: string) =>
    page.screenshot({ path: path.join(TRIAGE_ARTIFACTS, `${viewport.name}-${name}.png`), fullPage: true });

  describe(`ingest at ${viewport.width}×${viewport.height}`, () => {
    beforeAll(async () => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
    });

    it('when only plain spans arrived, then the empty Tools and Triggers tabs say what did arrive, what makes a record, and link a sample trace that is neither', async () => {
      await page.goto(`${tooltrace.origin}/tools`);
      const arrivals = page.getByTestId('arrivals');
      await arrivals.waitFor(WAIT);
      await expect(arrivals.textContent()).resolves.toContain(
        '10 spans and log records from 3 services arrived in the last 24 hours; none is a tool call.',
      );
      await expect(arrivals.getByRole('link', { name: 'This is what makes one' }).getAttribute('href')).resolves.toBe(
        `${DOCS}#tool-call-tooltrace-conventions`,
      );
      await shot('tools-empty-arrivals');
      await followSampleLink(arrivals.getByTestId('sample-trace-link'), 'tools');

      await page.goto(`${tooltrace.origin}/triggers`);
      await arrivals.waitFor(WAIT);
      await expect(arrivals.textContent()).resolves.toContain('none is a trigger event.');
      await expect(arrivals.getByRole('link', { name: 'This is what makes one' }).getAttribute('href')).resolves.toBe(
        `${DOCS}#trigger-event-root-of-its-trace`,
      );
      await followSampleLink(arrivals.getByTestId('sample-trace-link'), 'triggers');
      expect(browser.pageErrors).toEqual([]);
    });

    it('when the quota meter is clicked, then it leads to the Ingest panel: totals, senders, reasons with their last message, sample traces per sender that open their trace, and logs without a trace ID named as rejected', async () => {
      await page.goto(`${tooltrace.origin}/tools`);
      await page.getByLabel(/^Log retention:/).click();
      await page.getByTestId('ingest-link').click();
      await page.waitForURL((u) => u.pathname === '/ingest', WAIT);

      const totals = page.getByLabel('Totals');
      await totals.waitFor(WAIT);
      await expect(totals.textContent()).resolves.toBe('Accepted10Rejected2Throttled0');
      const rows = page.getByRole('table', { name: 'Items by sender' }).locator('tbody tr');
      const senders = await rows.evaluateAll((trs) =>
        trs.map((tr) =>
          [...(tr as HTMLTableRowElement).cells]
            .slice(0, 4)
            .map((td) => td.textContent)
            .join(''),
        ),
      );
      // Busiest first: mailer's two rejected logs put it above search.
      expect(senders).toEqual(['checkout500', 'mailer220', 'search300']);
      // Every span was its own trace: each sender keeps its newest three (mailer's logs made none).
      const samples = (sender: string) =>
        rows.and(page.locator(`[data-sender="${sender}"]`)).locator('a[data-trace-id]');
      await expect(Promise.all(['checkout', 'mailer', 'search'].map((s) => samples(s).count()))).resolves.toEqual([
        3, 2, 3,
      ]);
      await expect(samples('search').allTextContents()).resolves.toEqual(
        expect.arrayContaining([expect.stringMatching(/^GET \/orders\/\d$/)]),
      );
      const reason = page
        .getByRole('table', { name: 'Rejections by reason' })
        .locator('tr[data-reason="log_without_trace"]');
      await expect(reason.textContent()).resolves.toMatch(/Log record without a trace ID.*2.*traceId: missing/);
      await expect(page.getByTestId('logs-without-trace').textContent()).resolves.toMatch(
        /^Log records without a trace ID are rejected.*2 were rejected in the last 24 hours/,
      );
      // The panel fits the window (a wide table scrolls in its own box).
      const panel = await page.getByRole('region', { name: 'Ingest' }).boundingBox();
      expect(panel!.x + panel!.width).toBeLessThanOrEqual(viewport.width);
      expect(browser.pageErrors).toEqual([]);
      await shot('ingest-panel');

      await followSampleLink(samples('checkout').first(), 'tools');
    });
  });
}
