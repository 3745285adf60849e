/**
 * End to end: a span with links to other traces, sent as OTLP/JSON to the real `tooltrace start`, shows a
 * "Linked traces" section in Debian's Chromium at both viewports, and following a link opens that trace.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './browser.ts';
import { sendLinkingToolCall, sendToolCall } from './otlp.ts';
import { startSignedIn, TRIAGE_ARTIFACTS, VIEWPORTS } from './session.ts';
import type { RunningTooltrace } from './tooltrace-process.ts';

const WAIT = { timeout: 20_000 };

let tooltrace: RunningTooltrace;
let browser: Browser;
let page: Page;
let consumed: string;
let batch: string;

beforeAll(async () => {
  ({ tooltrace, browser, page } = await startSignedIn());
  consumed = (await sendToolCall(tooltrace.collectorUrl, tooltrace.ingestKey, 'LINKED_E2E_CONSUMED')).traceId;
  batch = await sendLinkingToolCall(tooltrace.collectorUrl, tooltrace.ingestKey, 'LINKED_E2E_BATCH', [consumed]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await tooltrace?.stop();
});

for (const viewport of VIEWPORTS) {
  describe(`linked traces at ${viewport.width}×${viewport.height}`, () => {
    beforeAll(async () => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
    });

    it('when a span links another trace, then the trace view lists it under "Linked traces" and the link opens it', async () => {
      await page.goto(`${tooltrace.origin}/tools/trace/${batch}`);
      const section = page.getByRole('region', { name: 'Linked traces' });
      await section.waitFor(WAIT);
      const row = section.getByRole('listitem');
      await expect(row.count()).resolves.toBe(1);
      await expect(row.textContent()).resolves.toContain('link.reason=consumed');
      await expect(row.textContent()).resolves.toContain('run_tool LINKED_E2E_BATCH');
      await page.screenshot({
        path: path.join(TRIAGE_ARTIFACTS, `${viewport.name}-linked-traces.png`),
        fullPage: true,
        animations: 'disabled',
      });

      await section.getByRole('link', { name: consumed }).click();
      await page.waitForURL(new RegExp(`/trace/${consumed}`), WAIT);
      await page.getByRole('heading', { name: 'LINKED_E2E_CONSUMED' }).waitFor(WAIT);
      // The consumed trace links nowhere itself.
      await expect(page.getByRole('region', { name: 'Linked traces' }).count()).resolves.toBe(0);
      expect(browser.pageErrors).toEqual([]);
    });
  });
}
