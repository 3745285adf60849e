/** What the triage end-to-end files share: the two viewports, where screenshots go, and a signed-in start. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type Browser, launchBrowser } from './browser.ts';
import { REPO_ROOT, type RunningTooltrace, startTooltrace } from './tooltrace-process.ts';

export const TRIAGE_ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'triage');

export const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

export interface SignedInSession {
  tooltrace: RunningTooltrace;
  browser: Browser;
  page: Page;
}

/** Starts `tooltrace start` and Chromium, and signs in with the printed link (the key stays in the tab). */
export async function startSignedIn(): Promise<SignedInSession> {
  await fs.mkdir(TRIAGE_ARTIFACTS, { recursive: true });
  const tooltrace = await startTooltrace();
  const browser = await launchBrowser();
  await browser.page.goto(tooltrace.uiLink);
  await browser.page.getByRole('grid', { name: 'Tool calls' }).waitFor({ timeout: 20_000 });
  return { tooltrace, browser, page: browser.page };
}
