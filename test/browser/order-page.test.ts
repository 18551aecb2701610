import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.ts';
import { createTenant, type Tenant } from '../helpers/tenants.ts';
import {
  bankTransferOrder,
  ePaymentOrderWithFee,
  orderClient,
  setPaymentInfo,
} from '../modules/public-orders/helpers.ts';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, serveApp } from './serve.ts';

const PHONE = { width: 360, height: 740 };

let served: TestContext;
let baseUrl: string;
let browser: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  requireChromium('the hosted order page browser test');
  ({ served, baseUrl } = await serveApp());

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  // The copy buttons write to the clipboard; the test reads it back.
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.app.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

/** The order's public_order_url, as the storefront reads it through the API of the listening app. */
async function publicOrderUrl(tenant: Tenant, slug: string): Promise<string> {
  const client = await orderClient(tenant);
  const response = await served.app.inject({
    method: 'GET',
    url: `/v3/stores/${tenant.store.unique_id}/public/orders/${slug}`,
    headers: { 'x-scalev-storefront-api-key': client.key },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().public_order_url;
}

async function open(url: string) {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, response, problems };
}

/** Set to a directory to keep the screenshots for a human look. */
const SCREENSHOT_DIR = process.env.NEXUS_SCREENSHOT_DIR;

async function expectFitsThePhone(page: Awaited<ReturnType<typeof open>>['page']) {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(widths.inner).toBe(PHONE.width);
  expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
  const shot = await page.screenshot({ fullPage: true });
  expect(shot.length).toBeGreaterThan(1000);
  if (SCREENSHOT_DIR) {
    const name = new URL(page.url()).pathname.replace(/[^A-Za-z0-9]+/g, '_');
    fs.writeFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), shot);
  }
}

describe('hosted order page in a real browser', () => {
  it('shows a bank-transfer order’s total and where to transfer it, on a phone', async () => {
    const tenant = await createTenant();
    const order = await bankTransferOrder(tenant);
    const url = await publicOrderUrl(tenant, order.secret_slug);
    expect(url).toBe(`${baseUrl}/o/${order.secret_slug}`);

    const { page, response, problems } = await open(url);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('Rp149.724');
    expect(await page.getByTestId('amount').textContent()).toBe('Rp149.724');
    expect(await page.getByTestId('account-number').textContent()).toBe('8001234567');
    expect(await page.getByText('a.n. PT Toko Test').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Pesanan #${order.order_id}`);
    // The nonce'd stylesheet applied (a CSP refusal would leave the default black-on-white button-less page).
    const sectionRadius = await page
      .locator('section')
      .first()
      .evaluate((el) => getComputedStyle(el).borderRadius);
    expect(sectionRadius).toBe('12px');
    await expectFitsThePhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows QRIS as a scannable QR code', async () => {
    const tenant = await createTenant();
    const qris = await bankTransferOrder(tenant, { paymentMethod: 'qris' });
    await setPaymentInfo(tenant, qris.id, {
      qr_string:
        '00020101021226570011ID.CO.QRIS.WWW0215ID10260000000010303UMI5204581253033605802ID5909TOKO TEST6007JAKARTA6304ABCD',
    });
    const qrisPage = await open(await publicOrderUrl(tenant, qris.secret_slug));
    const qr = qrisPage.page.locator('svg.qr');
    expect(await qr.isVisible()).toBe(true);
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(200);
    expect(box.width).toBeLessThanOrEqual(PHONE.width);
    expect(await qrisPage.page.getByTestId('total').textContent()).toBe('Rp149.724');
    await expectFitsThePhone(qrisPage.page);
    expect(qrisPage.problems).toEqual([]);
    await qrisPage.page.close();
  });

  it('creates a virtual account from the "Bayar sekarang" button and shows its number', async () => {
    const tenant = await createTenant();
    const va = await bankTransferOrder(tenant, { paymentMethod: 'va', subPaymentMethod: 'BCA' });
    const { page, problems } = await open(await publicOrderUrl(tenant, va.secret_slug));
    await page.getByRole('button', { name: 'Bayar sekarang' }).click();
    await page.waitForURL(`${baseUrl}/o/${va.secret_slug}#pembayaran`);
    const number = await page.getByTestId('va-number').textContent();
    expect(number).toMatch(/^\d{10,20}$/);
    const stored = await tenant.ctx.database.db
      .selectFrom('orders')
      .select('pg_payment_info')
      .where('id', '=', va.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.pg_payment_info)).toContain(number);
    expect(await page.getByText('Nomor Virtual Account BCA').isVisible()).toBe(true);

    // The page's own script shows the copy button (it stays hidden without scripts) and copies
    // exactly the number, saying so on the button; the strict CSP let it run (no console errors).
    expect(await page.getByRole('button', { name: 'Salin', exact: true }).isVisible()).toBe(true);
    const copy = page.locator('button.copy');
    const box = (await copy.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(40);
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Tersalin');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(number);
    await expect.poll(() => copy.textContent(), { timeout: 5000 }).toBe('Salin');
    await expectFitsThePhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says the sandbox is a test, and adds the e-payment fee to the lines it shows', async () => {
    const tenant = await createTenant();
    const qris = await ePaymentOrderWithFee(tenant);
    const { page, problems } = await open(await publicOrderUrl(tenant, qris.secret_slug));
    const badge = page.getByTestId('test-mode');
    expect(await badge.isVisible()).toBe(true);
    expect(await badge.textContent()).toContain('Mode uji');
    expect(await page.getByTestId('total-row').allTextContents()).toEqual([
      'Rp150.000',
      'Rp7.700',
      'Rp1.700',
    ]);
    expect(await page.getByText('Biaya layanan pembayaran').isVisible()).toBe(true);
    expect(await page.getByTestId('total').textContent()).toBe('Rp159.400');
    // Nothing to copy before the QR code exists: no script runs at all.
    expect(await page.locator('script').count()).toBe(0);
    await expectFitsThePhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the thank-you page behind the default redirect_url and a friendly 404', async () => {
    const tenant = await createTenant();
    const order = await bankTransferOrder(tenant);
    const { page } = await open(`${baseUrl}/o/${order.secret_slug}/success`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Terima kasih, Budi Santoso!');
    await expectFitsThePhone(page);
    await page.getByRole('link', { name: /Lihat pesanan/ }).click();
    await page.waitForURL(`${baseUrl}/o/${order.secret_slug}`);
    expect(await page.getByTestId('account-number').textContent()).toBe('8001234567');
    await page.close();

    const missing = await open(`${baseUrl}/o/does-not-exist`);
    expect(missing.response?.status()).toBe(404);
    expect(await missing.page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Pesanan tidak ditemukan',
    );
    await missing.page.close();
  });
});
