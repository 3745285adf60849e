/**
 * Live mode in Debian's Chromium against the real `tooltrace start` (issue 16, bug 3): rows arrive
 * out of time order, as spans do from busy senders. New rows go on top in time order; rows older
 * than the newest shown are announced as late arrivals whose refresh lists them in place; the
 * histogram's growth equals the rows shown as new plus the late ones. At 1440×900 and 390×844;
 * screenshots go to test-artifacts/triage/.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './browser.ts';
import { dataRows } from './grid.ts';
import { attribute, postSpans } from './otlp.ts';
import { startSignedIn, TRIAGE_ARTIFACTS, VIEWPORTS } from './session.ts';
import type { RunningTooltrace } from './tooltrace-process.ts';

const WAIT = { timeout: 20_000 };

let tooltrace: RunningTooltrace;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ tooltrace, browser, page } = await startSignedIn());
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await tooltrace?.stop();
});

/** One successful tool call named `toolName` of `integration` that started `agoMs` before now. */
async function sendCall(integration: string, toolName: string, agoMs: number): Promise<void> {
  const startNs = BigInt(Date.now() - agoMs) * 1_000_000n;
  await postSpans(tooltrace.collectorUrl, tooltrace.ingestKey, [
    {
      traceId: randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      name: `execute_tool ${toolName}`,
      kind: 1,
      startTimeUnixNano: String(startNs),
      endTimeUnixNano: String(startNs + 30_000_000n),
      attributes: [
        attribute('gen_ai.operation.name', 'execute_tool'),
        attribute('gen_ai.tool.name', toolName),
        attribute('tooltrace.integration', integration),
        attribute('user.id', 'live-e2e-user'),
      ],
      status: { code: 1 },
    },
  ]);
}

const grid = () => page.getByRole('grid', { name: 'Tool calls' });
const SENT = ['SEED', 'NEW_A', 'NEW_B', 'LATE_NEAR', 'LATE_FAR'];
/** The tool name of each listed row, top to bottom (whichever column the viewport shows it in). */
const toolNames = async () =>
  (await dataRows(grid()).allTextContents()).map((text) => SENT.find((name) => text.includes(name)) ?? text);

for (const viewport of VIEWPORTS) {
  describe(`live mode at ${viewport.width}×${viewport.height}`, () => {
    it('when rows arrive out of time order, then new ones go on top in order, older ones are announced as late arrivals, and the histogram agrees (bug 3)', async () => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      // An integration of this test only: the list, histogram and feed hold just what it sends.
      const integration = `live-e2e-${viewport.name}`;
      await sendCall(integration, 'SEED', 60_000);
      await page.goto(`${tooltrace.origin}/tools?integration=${integration}&live=1`);
      await page.locator('[data-live-state="live"]').waitFor(WAIT);
      await dataRows(grid()).first().waitFor(WAIT);
      const total = page.getByTestId('histogram-total').locator('strong');
      await expect(total.textContent()).resolves.toBe('1');

      await sendCall(integration, 'NEW_A', 10_000);
      await dataRows(grid()).filter({ hasText: 'NEW_A' }).waitFor(WAIT);
      // Older than NEW_A, yet within the feed's look-back: it reaches the page and must not go on top.
      await sendCall(integration, 'LATE_NEAR', 20_000);
      // Older than the feed's look-back: only the histogram sees it arrive.
      await sendCall(integration, 'LATE_FAR', 40 * 60_000);
      await sendCall(integration, 'NEW_B', 5_000);
      await dataRows(grid()).filter({ hasText: 'NEW_B' }).waitFor(WAIT);

      const late = page.getByTestId('late-arrivals');
      await late.waitFor(WAIT);
      await expect(late.textContent()).resolves.toBe('2 late arrivals — refresh');
      await expect(toolNames()).resolves.toEqual(['NEW_B', 'NEW_A', 'SEED']);
      await expect(page.getByTestId('live-count').textContent()).resolves.toBe('2 new');
      // 1 listed at the start + 2 new + 2 late: the histogram counts each arrival once.
      await expect(total.textContent()).resolves.toBe('5');
      await page.screenshot({ path: path.join(TRIAGE_ARTIFACTS, `${viewport.name}-live-late-arrivals.png`) });

      await late.click();
      await late.waitFor({ state: 'detached', ...WAIT });
      await page.waitForFunction(
        () => document.querySelectorAll('[role="grid"][aria-label="Tool calls"] [role="row"][data-index]').length === 5,
        undefined,
        WAIT,
      );
      await expect(toolNames()).resolves.toEqual(['NEW_B', 'NEW_A', 'LATE_NEAR', 'SEED', 'LATE_FAR']);
      await expect(total.textContent()).resolves.toBe('5');
      expect(browser.pageErrors).toEqual([]);
    });
  });
}
