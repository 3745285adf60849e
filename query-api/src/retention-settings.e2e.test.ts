/**
 * The plan/retention form in real Chromium against the real query API and a
 * real SQLite store: a read-key session sees the settings read-only with a
 * hint naming the admin key and cannot submit a change (the API refuses it
 * too); an admin-key session changes the plan after a confirmation that says
 * exactly how many logs the change deletes now, which is what retention then
 * deletes. Rotating the keys sends the session
 * back to the sign-in form saying the key was rotated.
 * Needs `npm run build -w @tooltrace/web` first (npm test does it).
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge, toolCallTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');
const built = existsSync(path.join(WEB_DIST, 'index.html'));
const WAIT = { timeout: 20_000 };

describe.skipIf(!built)('plan and retention settings by key role (needs web/dist)', () => {
  let t: TestApi;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApi({ webDistDir: WEB_DIST, liveFeed: { pollMs: 200 } });
    const now = Date.now();
    await t.store.write(
      t.a.project.projectId,
      merge([toolCallTrace({ at: now - 3000 }).batch, toolCallTrace({ at: now - 2000 }).batch]),
    );
    browser = await chromium.launch({ executablePath: execSync('which chromium').toString().trim() });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openRetention(link: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(link);
    await page.getByTestId('retention-summary').click(WAIT);
    return page;
  }

  it('when signed in with the read key, then the settings are read-only and name the admin key', async () => {
    const page = await openRetention(`${t.api.url}/tools#readKey=${t.a.readKey}`);
    await page.getByTestId('retention-read-only').waitFor(WAIT);
    expect(await page.getByTestId('retention-read-only').textContent()).toContain('tt_admin_');
    expect(await page.getByRole('form', { name: 'Change plan and retention' }).count()).toBe(0);
    // Even a request crafted in the page with the session's key is refused by the API.
    const status = await page.evaluate(async (key) => {
      const response = await fetch('/api/v1/project/retention', {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ plan: 'enterprise', limits: { maxLogs: 1, maxAgeDays: null } }),
      });
      return response.status;
    }, t.a.readKey);
    expect(status).toBe(403);
    expect((await t.store.retentionStatus(t.a.project.projectId)).plan).toBe('pro');
    await page.close();
  });

  it('when signed in with the admin key, then the form confirms exactly how many logs the change deletes and applies it', async () => {
    const before = await t.store.retentionStatus(t.a.project.projectId);
    expect(before.logCount).toBeGreaterThan(1);
    const page = await openRetention(`${t.api.url}/tools#adminKey=${t.a.adminKey}`);
    const form = page.getByRole('form', { name: 'Change plan and retention' });
    await form.waitFor(WAIT);
    await form.getByLabel('Plan').selectOption('enterprise');
    await form.getByLabel('Keep logs (days, empty for no limit)').fill('');
    await form.getByLabel('Keep at most (logs, empty for no limit)').fill('1');
    await form.getByRole('button', { name: 'Review change' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm the retention change' });
    await confirm.waitFor(WAIT);
    const figures = confirm.getByText(/This change deletes [\d,]+ of [\d,]+ logs now/);
    await figures.waitFor(WAIT);
    const [, shown, of] = /deletes ([\d,]+) of ([\d,]+) logs now/.exec((await figures.textContent()) ?? '') ?? [];
    expect(Number(of?.replaceAll(',', ''))).toBe(before.logCount);
    await confirm.getByRole('button', { name: 'Apply change' }).click();
    await confirm.waitFor({ state: 'detached', ...WAIT });
    const after = await t.store.retentionStatus(t.a.project.projectId);
    expect(after).toMatchObject({ plan: 'enterprise', limits: { maxLogs: 1, maxAgeDays: null } });
    // The number shown is what retention then deleted: whole traces, so more than a lower bound of logCount − 1.
    expect(Number(shown?.replaceAll(',', ''))).toBe(after.logsDropped - before.logsDropped);
    expect(after.logsDropped - before.logsDropped).toBe(before.logCount - after.logCount);
    expect(after.logCount).toBeLessThan(before.logCount);
    await page.close();
  });

  it('when the keys are rotated, then the open session returns to sign-in saying the key was rotated', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.api.url}/tools#readKey=${t.b.readKey}`);
    await page.getByTestId('retention-summary').waitFor(WAIT);
    await t.store.rotateKeys(t.b.project.projectId);
    // The next API call (or the live feed's end) gets the rotated key refused; a reload forces one now.
    await page.reload();
    await page.getByText('This key was rotated').waitFor(WAIT);
    await page.getByLabel('Read or admin key').waitFor(WAIT);
    await page.close();
  });
});
