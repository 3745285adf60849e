/**
 * End to end: the Forwarding page of the built UI, served by the real
 * `tooltrace start`, in Debian's Chromium, forwarding to a real HTTP server in
 * this process standing in for the team's OTLP receiver.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from './browser.ts';
import { sendToolCall } from './otlp.ts';
import { type RunningTooltrace, startTooltrace } from './tooltrace-process.ts';

const WAIT = { timeout: 30_000 };

let tooltrace: RunningTooltrace;
let browser: Browser;
let page: Page;
let receiver: http.Server;
let receiverUrl: string;
const received: string[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  tooltrace = await startTooltrace();
  browser = await launchBrowser();
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await tooltrace?.stop();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const card = () => page.getByRole('listitem', { name: 'team collector' });

describe('Forwarding page (Chromium, real tooltrace start)', { timeout: 180_000 }, () => {
  it('when a read session opens the page, then it is read-only and names the admin key', async () => {
    await page.goto(`${tooltrace.origin}/forwarding#readKey=${tooltrace.readKey}`);
    await page.getByRole('heading', { name: 'Forwarding' }).waitFor(WAIT);
    await page.getByText('needs the project’s admin key (tt_admin_…)').waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Add destination' }).count()).toBe(0);
  });

  it('when an admin adds a destination and traffic flows, then it shows OK; when the receiver stops, Retrying with the error', async () => {
    const adminKey = tooltrace.lines
      .find((l) => l.startsWith('admin key'))
      ?.slice('admin key'.length)
      .trim();
    expect(adminKey).toMatch(/^tt_admin_/);
    await page.goto(`${tooltrace.origin}/forwarding#adminKey=${adminKey}`);
    await page.reload();
    await page.getByRole('button', { name: 'Add destination' }).click();
    const form = page.getByRole('form', { name: 'Add a destination' });
    await form.getByLabel('Name', { exact: true }).fill('team collector');
    await form.getByLabel('Endpoint (OTLP/HTTP base URL)').fill('ftp://nope.example.com');
    await form.getByRole('button', { name: 'Add destination' }).click();
    await form
      .getByRole('alert')
      .getByText(/body field "endpoint": must be an http/)
      .waitFor(WAIT);
    await form.getByLabel('Endpoint (OTLP/HTTP base URL)').fill(receiverUrl);
    await form.getByLabel(/^Headers/).fill('x-team-key: s3cret');
    await form.getByRole('button', { name: 'Add destination' }).click();
    await card().waitFor(WAIT);
    expect(await card().textContent()).not.toContain('s3cret');

    await sendToolCall(tooltrace.collectorUrl, tooltrace.ingestKey, 'FORWARDED_TOOL');
    await page.waitForFunction(
      () => {
        const el = document.querySelector('li[aria-label="team collector"]');
        return el?.getAttribute('data-state') === 'ok' && /Spans \/ logs sent\s*[1-9]/.test(el.textContent ?? '');
      },
      undefined,
      WAIT,
    );
    expect(received).toContain('/v1/traces');

    await card().getByRole('button', { name: 'Send test' }).click();
    await card()
      .getByRole('status', { name: 'Test answer' })
      .getByText(/^Accepted: HTTP 200/)
      .waitFor(WAIT);

    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await sendToolCall(tooltrace.collectorUrl, tooltrace.ingestKey, 'WHILE_DOWN');
    await page.waitForFunction(
      () => document.querySelector('li[aria-label="team collector"]')?.getAttribute('data-state') === 'retrying',
      undefined,
      WAIT,
    );
    expect(await card().getByText('Retrying').count()).toBe(1);
    expect(await card().getByTestId('last-error').textContent()).toMatch(/ECONNREFUSED/);
    expect(browser.pageErrors).toEqual([]);
  });
});
