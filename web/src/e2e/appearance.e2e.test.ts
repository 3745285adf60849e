/**
 * End to end, how the UI looks rather than what it says: dark mode from the design tokens (system
 * setting, the header's theme switch, contrast), and the phone layout of bug 4 (issue 16): the
 * header fits, the deliveries table shows its HTTP column, the filters fold behind "Filters (n)".
 * The real `tooltrace start` with demo traffic in Debian's Chromium at 1440×900 and 390×844.
 * Screenshots of both schemes go to test-artifacts/triage/ (git-ignored) for a person to look at.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ToolCall, TriggerEvent } from '@tooltrace/conventions';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, DESKTOP_AND_PHONE, fullPageShot, launchBrowser } from './browser.ts';
import { contrastRatio, parseHex, parseRgb } from './contrast.ts';
import { dataRows } from './grid.ts';
import { REPO_ROOT, type RunningTooltrace, startTooltrace } from './tooltrace-process.ts';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'triage');
const TOKENS_CSS = path.join(REPO_ROOT, 'web', 'src', 'tokens.css');
const WAIT = { timeout: 20_000 };

type Scheme = 'light' | 'dark';
type Rgb = [number, number, number];

let tooltrace: RunningTooltrace;
let browser: Browser;
let page: Page;
let traceId: string;
/** A trigger event with two deliveries or more: the panel shows them as a table. */
let multiDeliveryEventId: string;
let tokens: Record<string, Record<Scheme, Rgb>>;

/** The light and dark value of each colour token, read from tokens.css: the test holds no palette of its own. */
async function readTokens(): Promise<Record<string, Record<Scheme, Rgb>>> {
  const css = await fs.readFile(TOKENS_CSS, 'utf8');
  const pairs = [...css.matchAll(/(--[\w-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/gi)];
  return Object.fromEntries(pairs.map((m) => [m[1], { light: parseHex(m[2]!), dark: parseHex(m[3]!) }]));
}

const url = (pathAndQuery: string) => `${tooltrace.origin}${pathAndQuery}`;
const toolGrid = () => page.getByRole('grid', { name: 'Tool calls' });

/** The page's background (the root's: body is transparent over it) and body text, as computed. */
async function pageColours(): Promise<{ background: Rgb; text: Rgb }> {
  const css = await page.evaluate(() => ({
    background: getComputedStyle(document.documentElement).backgroundColor,
    text: getComputedStyle(document.body).color,
  }));
  return { background: parseRgb(css.background), text: parseRgb(css.text) };
}

async function themeTo(choice: 'system' | Scheme): Promise<void> {
  const toggle = page.getByTestId('theme');
  for (let i = 0; i < 3 && (await toggle.getAttribute('data-theme-choice')) !== choice; i += 1) await toggle.click();
  await expect(toggle.getAttribute('data-theme-choice')).resolves.toBe(choice);
}

/** The first demo trigger event with two deliveries or more (the panel shows those as a table). */
async function findMultiDeliveryEvent(): Promise<string> {
  const events = await tooltrace.api<{ items: TriggerEvent[] }>('/trigger-events?limit=100');
  for (const { eventId } of events.items) {
    const detail = await tooltrace.api<{ deliveries: unknown[] }>(`/trigger-events/${encodeURIComponent(eventId!)}`);
    if (detail.deliveries.length >= 2) return eventId!;
  }
  throw new Error('the demo traffic holds no trigger event with two deliveries');
}

beforeAll(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  [tokens, tooltrace, browser] = await Promise.all([readTokens(), startTooltrace(), launchBrowser()]);
  page = browser.page;
  traceId = (await tooltrace.api<{ items: ToolCall[] }>('/tool-calls?status=error&limit=1')).items[0]!.traceId;
  multiDeliveryEventId = await findMultiDeliveryEvent();
  // Signed in once: the key stays in the tab's session storage for every later page.
  await page.goto(tooltrace.uiLink);
  await dataRows(toolGrid()).first().waitFor(WAIT);
}, 240_000);

afterAll(async () => Promise.all([browser?.close(), tooltrace?.stop()]));

for (const viewport of DESKTOP_AND_PHONE) {
  const shot = (name: string) => fullPageShot(page, path.join(ARTIFACTS, `${viewport.name}-${name}.png`));

  describe(`appearance at ${viewport.width}×${viewport.height}`, () => {
    beforeAll(async () => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
    });

    afterAll(async () => {
      await page.emulateMedia({ colorScheme: 'light' });
    });

    for (const scheme of ['light', 'dark'] as const) {
      it(`when the system prefers ${scheme}, then the page background and text are the ${scheme} tokens and body text contrasts ≥ 4.5`, async () => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(url('/tools'));
        await dataRows(toolGrid()).first().waitFor(WAIT);
        await themeTo('system');
        const { background, text } = await pageColours();
        expect(background).toEqual(tokens['--bg']![scheme]);
        expect(text).toEqual(tokens['--text']![scheme]);
        expect(contrastRatio(text, background)).toBeGreaterThanOrEqual(4.5);
        // The panels text sits on, and the quieter greys, pass too.
        for (const grey of ['--text', '--text-2', '--text-3'] as const) {
          expect(contrastRatio(tokens[grey]![scheme], tokens['--surface']![scheme]), grey).toBeGreaterThanOrEqual(4.5);
        }
        await shot(`${scheme}-tools`);
        await page.goto(url(`/tools/trace/${traceId}`));
        await page.getByTestId('request-id').waitFor(WAIT);
        await shot(`${scheme}-trace`);
        await page.goto(url(`/triggers/event/${encodeURIComponent(multiDeliveryEventId)}`));
        await page
          .getByRole('complementary', { name: 'Trigger event detail' })
          .getByText('Deliveries')
          .first()
          .waitFor(WAIT);
        await shot(`${scheme}-trigger-event`);
      });
    }

    it('when the theme switch picks a scheme, then it overrides the system setting and survives a reload', async () => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(url('/tools'));
      await dataRows(toolGrid()).first().waitFor(WAIT);
      await themeTo('light');
      expect((await pageColours()).background).toEqual(tokens['--bg']!.light);
      await page.reload();
      await dataRows(toolGrid()).first().waitFor(WAIT);
      await expect(page.getByTestId('theme').getAttribute('data-theme-choice')).resolves.toBe('light');
      expect((await pageColours()).background).toEqual(tokens['--bg']!.light);

      await page.emulateMedia({ colorScheme: 'light' });
      await themeTo('dark');
      await page.reload();
      await dataRows(toolGrid()).first().waitFor(WAIT);
      expect((await pageColours()).background).toEqual(tokens['--bg']!.dark);
      expect((await pageColours()).text).toEqual(tokens['--text']!.dark);

      await themeTo('system');
      expect((await pageColours()).background).toEqual(tokens['--bg']!.light);
      await expect(page.evaluate(() => localStorage.getItem('tooltrace.theme'))).resolves.toBeNull();
    });

    it('when each page is shown, then no part of the header runs past the viewport and the page does not scroll sideways (bug 4)', async () => {
      const pages = [
        ['/tools', () => dataRows(toolGrid()).first()],
        ['/tools/errors', () => page.getByRole('heading').first()],
        ['/triggers', () => dataRows(page.getByRole('grid', { name: 'Trigger events' })).first()],
        ['/forwarding', () => page.getByRole('heading').first()],
        ['/ingest', () => page.getByRole('heading').first()],
        [`/tools/trace/${traceId}`, () => page.getByTestId('request-id')],
        [
          `/triggers/event/${encodeURIComponent(multiDeliveryEventId)}`,
          () => page.getByRole('table', { name: 'Deliveries' }),
        ],
      ] as const;
      for (const [pathname, ready] of pages) {
        await page.goto(url(pathname));
        await ready().waitFor(WAIT);
        await page.getByRole('button', { name: 'Sign out' }).waitFor(WAIT);
        const overflow = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const header = document.querySelector('header');
          const past = [...(header?.querySelectorAll('*') ?? [])]
            .filter((el) => {
              const box = el.getBoundingClientRect();
              // checkVisibility: a closed popover's content has boxes but is not shown.
              return el.checkVisibility() && box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
            })
            .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
          return { past, scrollWidth: document.scrollingElement?.scrollWidth ?? 0, width };
        });
        expect(overflow.past, pathname).toEqual([]);
        expect(overflow.scrollWidth, pathname).toBeLessThanOrEqual(viewport.width);
      }
      // The retention popover, opened, keeps to the screen too.
      await page.goto(url('/tools'));
      await page.getByTestId('retention-plan').click();
      const popover = (await page.getByRole('dialog', { name: 'Log retention' }).boundingBox())!;
      expect(popover.x).toBeGreaterThanOrEqual(0);
      expect(popover.x + popover.width).toBeLessThanOrEqual(viewport.width);
      expect(popover.width).toBeGreaterThanOrEqual(Math.min(300, viewport.width - 24));
      await expect(page.evaluate(() => document.scrollingElement?.scrollWidth)).resolves.toBeLessThanOrEqual(
        viewport.width,
      );
      await shot('retention-popover');
    });

    it('when a trigger event has several deliveries, then every delivery shows its HTTP status inside the viewport (bug 4)', async () => {
      await page.goto(url(`/triggers/event/${encodeURIComponent(multiDeliveryEventId)}`));
      const table = page.getByRole('table', { name: 'Deliveries' });
      await table.waitFor(WAIT);
      const cells = table.getByTestId('delivery-http');
      await expect(cells.count()).resolves.toBeGreaterThanOrEqual(2);
      const panel = await page.getByRole('complementary', { name: 'Trigger event detail' }).boundingBox();
      for (const cell of await cells.all()) {
        const box = (await cell.boundingBox())!;
        expect(box.width).toBeGreaterThan(0);
        expect(box.x).toBeGreaterThanOrEqual(panel!.x);
        expect(box.x + box.width).toBeLessThanOrEqual(Math.min(viewport.width, panel!.x + panel!.width));
      }
      await shot('deliveries');
    });

    it('when filters are set, then a phone folds them behind "Filters (n)" with their chips, and a desktop shows them all (bug 4)', async () => {
      await page.goto(url('/tools?status=error&type=run_tool'));
      await dataRows(toolGrid()).first().waitFor(WAIT);
      const toggle = page.getByRole('button', { name: 'Filters (2)' });
      const statusField = page.getByLabel('Status', { exact: true });
      if (viewport.width > 700) {
        await expect(toggle.isVisible()).resolves.toBe(false);
        await expect(statusField.isVisible()).resolves.toBe(true);
        return;
      }
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
      await expect(statusField.isVisible()).resolves.toBe(false);
      const chips = page.getByRole('list', { name: 'Active filters' });
      await expect(chips.getByRole('listitem').count()).resolves.toBe(2);
      // The first screen reaches the table instead of being all filters.
      const grid = (await toolGrid().boundingBox())!;
      expect(grid.y).toBeLessThan(viewport.height);
      await shot('filters-folded');

      await toggle.click();
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
      await expect(statusField.isVisible()).resolves.toBe(true);
      await shot('filters-open');
      // A chip removes its filter.
      await toggle.click();
      await chips.getByRole('button', { name: 'Remove filter Type' }).click();
      await page.waitForURL((u) => !u.searchParams.has('type') && u.searchParams.get('status') === 'error', WAIT);
      await page.getByRole('button', { name: 'Filters (1)' }).waitFor(WAIT);
    });
  });
}
