/**
 * The built web UI in real Chromium, served by the query API: the page must
 * run under our Content-Security-Policy (no violations, no console errors) and
 * reach the API with the read key from the link `tooltrace start` prints.
 * Needs `npm run build -w @tooltrace/web` first (npm test does it).
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge, toolCallTrace, triggerTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');
const built = existsSync(path.join(WEB_DIST, 'index.html'));

describe.skipIf(!built)('web UI under the CSP (needs web/dist)', () => {
  let t: TestApi;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApi({ webDistDir: WEB_DIST });
    await t.store.write(
      t.a.project.projectId,
      merge([toolCallTrace({ at: Date.now() - 1000 }).batch, triggerTrace({ at: Date.now() - 2000 }).batch]),
    );
    browser = await chromium.launch({ executablePath: execSync('which chromium').toString().trim() });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('when the printed link is opened, then the UI loads, calls the API with the key, and breaks no CSP rule', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const apiAnswer = page.waitForResponse(
      (response) => response.url().includes('/api/v1/') && response.status() === 200,
    );
    await page.goto(`${t.api.url}/#readKey=${t.a.readKey}`);
    await apiAnswer;
    await page.locator('#root > *').first().waitFor();
    expect(await page.locator('#root').textContent()).not.toBe('');
    expect(problems).toEqual([]);
    await page.close();
  });
});
