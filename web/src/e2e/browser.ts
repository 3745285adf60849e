/** Debian's Chromium driven by playwright-core, headless, with a fresh profile per run. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed (apt-get install -y chromium); the end-to-end tests drive it');
  }
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page; a test fails on any. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(
  viewport = { width: 1280, height: 900 },
  /** The page's time zone; a zone other than the machine's (often UTC) proves times follow the viewer's. */
  timezoneId?: string,
): Promise<Browser> {
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport,
    ...(timezoneId ? { timezoneId } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      await fs.rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The two sizes issue 16 walks the UI at: a laptop and a phone. */
export const DESKTOP_AND_PHONE = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** A full-page shot of the settled view (entrance animations finished), for a person to look at. */
export async function fullPageShot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
}
