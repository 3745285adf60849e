/**
 * Issue 18 in Debian's Chromium against the real `tooltrace start`: a project fed only plain
 * OpenTelemetry (official SDK and OTLP/protobuf exporters, no tooltrace attributes) sees, in the
 * empty Tools and Triggers tabs, what did arrive and a link to what makes a tool call; the quota
 * meter leads to the Ingest panel with counts by sender and reason, the last message of each kind,
 * and the plain note that log records without a trace ID are rejected. At 1440×900 and 390×844;
 * screenshots go to test-artifacts/triage/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
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

for (const viewport of VIEWPORTS) {
  const shot = (name: string) =>
    page.screenshot({ path: path.join(TRIAGE_ARTIFACTS, `${viewport.name}-${name}.png`), fullPage: true });

  describe(`ingest at ${viewport.width}×${viewport.height}`, () => {
    beforeAll(async () => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
    });

    it('when only plain spans arrived, then the empty Tools and Triggers tabs say what did arrive and what makes a record', async () => {
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

      await page.goto(`${tooltrace.origin}/triggers`);
      await arrivals.waitFor(WAIT);
      await expect(arrivals.textContent()).resolves.toContain('none is a trigger event.');
      await expect(arrivals.getByRole('link', { name: 'This is what makes one' }).getAttribute('href')).resolves.toBe(
        `${DOCS}#trigger-event-root-of-its-trace`,
      );
    });

    it('when the quota meter is clicked, then it leads to the Ingest panel: totals, senders, reasons with their last message, and logs without a trace ID named as rejected', async () => {
      await page.goto(`${tooltrace.origin}/tools`);
      await page.getByLabel(/^Log retention:/).click();
      await page.getByTestId('ingest-link').click();
      await page.waitForURL((u) => u.pathname === '/ingest', WAIT);

      const totals = page.getByLabel('Totals');
      await totals.waitFor(WAIT);
      await expect(totals.textContent()).resolves.toBe('Accepted10Rejected2Throttled0');
      const senders = await page.getByRole('table', { name: 'Items by sender' }).locator('tbody tr').allTextContents();
      // Busiest first: mailer's two rejected logs put it above search.
      expect(senders).toEqual(['checkout500', 'mailer220', 'search300']);
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
    });
  });
}
