import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.ts';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, serveApp } from './serve.ts';

/** The reference must be readable this soon after the browser starts navigating to it. */
const RENDER_BUDGET_MS = 2000;

let served: TestContext;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  requireChromium('the API reference browser test');
  ({ served, baseUrl } = await serveApp());
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  // The document is built once per process, at its first request; every later reader gets it ready.
  const document = await served.app.inject({ method: 'GET', url: '/v3/openapi.json' });
  expect(document.statusCode).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.app.close();
});

describe('API reference at /docs in a real browser', () => {
  it('renders Nexus with its operations within 2 s of navigation, from this server alone', async () => {
    // A fresh context: nothing cached, as for a first-time reader.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const elsewhere: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.origin !== baseUrl) elsewhere.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    const started = Date.now();
    const response = await page.goto(`${baseUrl}/docs`, { waitUntil: 'commit' });
    // Rendered by Scalar: the document's title and an operation, in the content and in the sidebar.
    const title = page.getByRole('heading', { name: 'Nexus Commerce API', exact: true });
    const operation = page.getByRole('heading', { name: 'Get authenticated identity', exact: true });
    await title.waitFor({ state: 'visible', timeout: 30_000 });
    await operation.waitFor({ state: 'visible', timeout: 30_000 });
    const elapsed = Date.now() - started;
    console.info(`/docs rendered in ${elapsed} ms`);

    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${baseUrl}/docs/`);
    expect(await page.title()).toMatch(/^Nexus\b/);
    expect(await page.locator('#app').getByText('Get authenticated identity').count()).toBeGreaterThan(1);
    expect(elapsed).toBeLessThan(RENDER_BUDGET_MS);
    // The getting-started guide is part of the reference.
    expect(await page.getByRole('heading', { name: 'Storefront journey' }).count()).toBe(1);
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is where / leads', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`, { waitUntil: 'commit' });
    expect(page.url()).toBe(`${baseUrl}/docs/`);
    await context.close();
  });
});
