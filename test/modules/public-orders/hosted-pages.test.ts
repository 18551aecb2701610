import { describe, expect, it } from 'vitest';
import { buildTestApp, getTestContext, testConfig } from '../../helpers/app.ts';
import { createTenant, send } from '../../helpers/tenants.ts';
import { moveOrderThrough } from '../orders/fixtures.ts';
import { bankTransferOrder, ePaymentOrderWithFee, setPaymentInfo } from './helpers.ts';

/** `Rp362.200` -> 36220000 cents, `-Rp276` -> -27600, `Rp1.234,50` -> 123450. */
function centsOf(text: string): number {
  const match = text.trim().match(/^(-?)Rp([\d.]+)(?:,(\d{2}))?$/);
  if (!match) throw new Error(`not a rupiah amount: ${text}`);
  const whole = Number(match[2]!.replaceAll('.', ''));
  return (match[1] ? -1 : 1) * (whole * 100 + Number(match[3] ?? 0));
}

/** The payment summary's rows and total as the page shows them. */
function summaryOf(page: string) {
  const rows = [...page.matchAll(/<dt>([^<]*)<\/dt><dd data-testid="total-row">([^<]*)<\/dd>/g)].map(
    (m) => [m[1]!, m[2]!] as const,
  );
  const total = page.match(/<dd class="total" data-testid="total">([^<]*)<\/dd>/)?.[1];
  return { rows, total: total ?? '' };
}

/**
 * The hosted pages' headers. A page with copy buttons runs one script, its own, allowed by the
 * response's nonce; every other page runs none.
 */
function expectPageHeaders(response: { headers: Record<string, unknown>; body: string }, script = false) {
  const { headers } = response;
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'none'");
  const nonce = csp.match(/style-src 'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
  expect(nonce).toBeDefined();
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  const scripts = [...response.body.matchAll(/<script\b[^>]*>/gi)].map((tag) => tag[0]);
  if (script) {
    expect(csp).toContain(`script-src 'nonce-${nonce}';`);
    expect(scripts).toEqual([`<script nonce="${nonce}">`]);
  } else {
    expect(csp).not.toContain('script-src');
    expect(scripts).toEqual([]);
  }
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cache-control']).toBe('no-store');
}

describe('hosted order page /o/:secret_slug', () => {
  it('shows items, totals, status and where to transfer the exact amount', async () => {
    const tenant = await createTenant();
    const order = await bankTransferOrder(tenant);
    const response = await send(tenant.ctx, 'GET', `/o/${order.secret_slug}`);
    expect(response.statusCode).toBe(200);
    expectPageHeaders(response, true);
    const page = response.body;
    expect(page).toContain('<html lang="id">');
    expect(page).toContain('name="viewport"');
    expect(page).toContain(`Pesanan #${order.order_id}`);
    expect(page).toContain('Kaos Polos - L');
    expect(page).toContain('Rp150.000'); // subtotal
    expect(page).toContain('Rp149.724'); // total: what to transfer
    expect(page).toContain('-Rp276'); // the unique code
    expect(page).toContain('Transfer tepat sebesar');
    expect(page).toContain('8001234567');
    expect(page).toContain('a.n. PT Toko Test');
    expect(page).toContain('Bank Central Asia');
    expect(page).toContain('Menunggu pembayaran');
    expect(page).toContain('Belum dibayar');
    expect(page).toContain('data-copy="8001234567"');
    // The same page answers at payment_url.
    const pay = await send(tenant.ctx, 'GET', `/o/${order.secret_slug}/pay`);
    expect(pay.statusCode).toBe(200);
    expect(pay.body).toContain('8001234567');
  });

  it('escapes everything buyers and merchants typed', async () => {
    const tenant = await createTenant();
    const order = await bankTransferOrder(tenant, {
      customer: { name: '<script>alert(1)</script>', email: 'x@example.test', phone: '"><img src=x>' },
    });
    const page = (await send(tenant.ctx, 'GET', `/o/${order.secret_slug}`)).body;
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('"><img src=x>');
  });

  it('says so once the order is paid or canceled, without payment instructions', async () => {
    const tenant = await createTenant();
    const db = tenant.ctx.database.db;
    const paid = await bankTransferOrder(tenant);
    await moveOrderThrough(db, tenant.business.id, paid.id, { paymentStatus: 'paid', actor: 'system' });
    const paidPage = (await send(tenant.ctx, 'GET', `/o/${paid.secret_slug}`)).body;
    expect(paidPage).toContain('Pembayaran sudah diterima');
    expect(paidPage).not.toContain('Transfer tepat sebesar');

    const canceled = await bankTransferOrder(tenant);
    await moveOrderThrough(db, tenant.business.id, canceled.id, { status: 'canceled', actor: 'business' });
    const canceledPage = (await send(tenant.ctx, 'GET', `/o/${canceled.secret_slug}`)).body;
    expect(canceledPage).toContain('Pesanan ini dibatalkan');
    expect(canceledPage).not.toContain('8001234567');
  });

  it('renders e-payment instructions from pg_payment_info', async () => {
    const tenant = await createTenant();
    const va = await bankTransferOrder(tenant, { paymentMethod: 'va', subPaymentMethod: 'BNI' });
    await setPaymentInfo(tenant, va.id, {
      payment_method: {
        type: 'VIRTUAL_ACCOUNT',
        virtual_account: {
          channel_code: 'BNI',
          channel_properties: { virtual_account_number: '8808123456789012' },
        },
      },
      actions: [],
    });
    const vaPage = (await send(tenant.ctx, 'GET', `/o/${va.secret_slug}`)).body;
    expect(vaPage).toContain('Nomor Virtual Account BNI');
    expect(vaPage).toContain('8808123456789012');
    expect(vaPage).not.toContain('8001234567'); // no bank accounts on e-payment orders

    const qris = await bankTransferOrder(tenant, { paymentMethod: 'qris' });
    await setPaymentInfo(tenant, qris.id, { qr_string: '00020101021226570011ID.CO.QRIS.WWW6304ABCD' });
    const qrisPage = (await send(tenant.ctx, 'GET', `/o/${qris.secret_slug}`)).body;
    expect(qrisPage).toMatch(/<svg class="qr"[^>]*role="img"/);
    expect(qrisPage).toContain('Pindai kode QR');

    const retail = await bankTransferOrder(tenant, { paymentMethod: 'alfamart' });
    await setPaymentInfo(tenant, retail.id, {
      payment_method: { over_the_counter: { channel_properties: { payment_code: 'NXSALF123456' } } },
    });
    const retailPage = (await send(tenant.ctx, 'GET', `/o/${retail.secret_slug}`)).body;
    expect(retailPage).toContain('NXSALF123456');
    expect(retailPage).toContain('kasir Alfamart');

    const wallet = await bankTransferOrder(tenant, { paymentMethod: 'ovo' });
    await setPaymentInfo(tenant, wallet.id, {
      actions: [
        { url_type: 'WEB', url: 'https://pay.example/ovo?a=1&b=2' },
        { url_type: 'DEEPLINK', url: 'ovo://pay/123' },
        { url_type: 'WEB', url: 'javascript:alert(1)' },
        { url_type: 'API', url: 'https://api.example/otp' },
      ],
    });
    const walletPage = (await send(tenant.ctx, 'GET', `/o/${wallet.secret_slug}`)).body;
    expect(walletPage).toContain('href="https://pay.example/ovo?a=1&amp;b=2"');
    expect(walletPage).toContain('href="ovo://pay/123"');
    expect(walletPage).toContain('Buka aplikasi OVO');
    expect(walletPage).not.toContain('javascript:');
    expect(walletPage).not.toContain('api.example');
  });

  it('creates missing e-payment instructions from the "Bayar sekarang" button, once', async () => {
    const tenant = await createTenant();
    const order = await bankTransferOrder(tenant, { paymentMethod: 'qris' });
    const before = (await send(tenant.ctx, 'GET', `/o/${order.secret_slug}`)).body;
    expect(before).toContain(`<form method="post" action="/o/${order.secret_slug}/pay">`);
    expect(before).toContain('Bayar sekarang');
    expect(before).not.toContain('<svg');

    const press = () =>
      send(tenant.ctx, 'POST', `/o/${order.secret_slug}/pay`, {
        body: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const posted = await press();
    expect(posted.statusCode, posted.body).toBe(303);
    expect(posted.headers.location).toBe(`/o/${order.secret_slug}#pembayaran`);
    const qrString = async () =>
      (
        await tenant.ctx.database.db
          .selectFrom('orders')
          .select('pg_payment_info')
          .where('id', '=', order.id)
          .executeTakeFirstOrThrow()
      ).pg_payment_info.qr_string;
    const first = await qrString();
    expect(first).toEqual(expect.any(String));
    const after = (await send(tenant.ctx, 'GET', `/o/${order.secret_slug}`)).body;
    expect(after).toMatch(/<svg class="qr"/);
    expect(after).not.toContain('<form');

    expect((await press()).statusCode).toBe(303);
    expect(await qrString()).toBe(first);
  });

  it('offers no payment button on bank-transfer orders and leaves them alone when posted to', async () => {
    const tenant = await createTenant();
    const order = await bankTransferOrder(tenant);
    expect((await send(tenant.ctx, 'GET', `/o/${order.secret_slug}`)).body).not.toContain('<form');
    const posted = await send(tenant.ctx, 'POST', `/o/${order.secret_slug}/pay`, {
      body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.statusCode).toBe(303);
    const row = await tenant.ctx.database.db
      .selectFrom('orders')
      .select('pg_payment_info')
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row.pg_payment_info).toEqual({});
  });

  it('answers a friendly 404 page for an unknown link', async () => {
    const tenant = await createTenant();
    for (const path of ['/o/nope', '/o/nope/success', '/o/nope/pay', `/o/${'x'.repeat(90)}`]) {
      const response = await send(tenant.ctx, 'GET', path);
      expect(response.statusCode, path).toBe(404);
      expectPageHeaders(response);
      expect(response.body).toContain('Pesanan tidak ditemukan');
    }
    const post = await send(tenant.ctx, 'POST', '/o/nope/pay', {
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.statusCode).toBe(404);
  });

  it('is rate limited per client IP like other browser routes', async () => {
    const tenant = await createTenant();
    const response = await send(tenant.ctx, 'GET', '/o/nope');
    expect(Number(response.headers['x-ratelimit-limit'])).toBeGreaterThan(0);
    expect(response.headers['x-ratelimit-remaining']).toBeDefined();
  });

  it('is not part of the OpenAPI document', async () => {
    const tenant = await createTenant();
    const document = (await send(tenant.ctx, 'GET', '/v3/openapi.json')).json();
    expect(Object.keys(document.paths).some((path) => path.startsWith('/o/'))).toBe(false);
  });
});

describe('hosted success page /o/:secret_slug/success', () => {
  it('thanks the buyer and links back to the order', async () => {
    const tenant = await createTenant();
    const order = await bankTransferOrder(tenant);
    const response = await send(tenant.ctx, 'GET', `/o/${order.secret_slug}/success`);
    expect(response.statusCode).toBe(200);
    expectPageHeaders(response);
    expect(response.body).toContain('Terima kasih, Budi Santoso!');
    expect(response.body).toContain(`#${order.order_id}`);
    expect(response.body).toContain('Rp149.724');
    expect(response.body).toContain(`href="/o/${order.secret_slug}"`);
  });
});

describe('hosted order page: totals, test mode and copying numbers', () => {
  it('shows the e-payment service fee, so the rows add up to the total', async () => {
    const tenant = await createTenant();
    const order = await ePaymentOrderWithFee(tenant);
    const page = (await send(tenant.ctx, 'GET', `/o/${order.secret_slug}`)).body;
    const summary = summaryOf(page);
    expect(summary.total).toBe('Rp159.400');
    expect(summary.rows).toEqual([
      ['Subtotal produk', 'Rp150.000'],
      ['Ongkos kirim', 'Rp7.700'],
      ['Biaya layanan pembayaran', 'Rp1.700'],
    ]);
    expect(summary.rows.reduce((sum, [, amount]) => sum + centsOf(amount), 0)).toBe(centsOf(summary.total));

    // Orders without the fee show no such row, and their rows add up too (the unique code is taken off).
    const transfer = await bankTransferOrder(tenant);
    const plain = summaryOf((await send(tenant.ctx, 'GET', `/o/${transfer.secret_slug}`)).body);
    expect(plain.rows.map(([name]) => name)).not.toContain('Biaya layanan pembayaran');
    expect(plain.rows).toContainEqual(['Kode unik', '-Rp276']);
    expect(plain.rows.reduce((sum, [, amount]) => sum + centsOf(amount), 0)).toBe(centsOf(plain.total));
  });

  it('says "Mode uji" on every order page while payments go to the sandbox, and not otherwise', async () => {
    const tenant = await createTenant();
    const order = await bankTransferOrder(tenant);
    for (const path of [`/o/${order.secret_slug}`, `/o/${order.secret_slug}/success`]) {
      const page = (await send(tenant.ctx, 'GET', path)).body;
      expect(page, path).toContain('data-testid="test-mode"');
      expect(page, path).toContain('Mode uji');
    }

    const live = await buildTestApp(
      (await getTestContext()).database,
      testConfig({
        payments: {
          driver: 'xendit',
          xendit: { secretKey: 'xnd_test_key', callbackToken: 'callback', baseUrl: 'http://127.0.0.1:9' },
        },
      }),
    );
    try {
      for (const path of [`/o/${order.secret_slug}`, `/o/${order.secret_slug}/success`]) {
        const response = await send(live, 'GET', path);
        expect(response.statusCode, path).toBe(200);
        expect(response.body, path).not.toContain('Mode uji');
      }
    } finally {
      await live.app.close();
      await live.rateLimit.close();
    }
  });

  it('puts a copy button beside a virtual account number, run by the page’s own script', async () => {
    const tenant = await createTenant();
    const va = await bankTransferOrder(tenant, { paymentMethod: 'va', subPaymentMethod: 'BNI' });
    await setPaymentInfo(tenant, va.id, {
      payment_method: {
        virtual_account: {
          channel_code: 'BNI',
          channel_properties: { virtual_account_number: '8808123456789012' },
        },
      },
    });
    const response = await send(tenant.ctx, 'GET', `/o/${va.secret_slug}`);
    expectPageHeaders(response, true);
    const button = response.body.match(/<button type="button" class="copy"[^>]*>Salin<\/button>/)?.[0];
    expect(button).toContain('data-copy="8808123456789012"');
    expect(button).toContain('title="Salin nomor Virtual Account"');
    // Hidden until the script runs: a browser that runs no script shows no dead button.
    expect(button).toContain(' hidden>');

    const retail = await bankTransferOrder(tenant, { paymentMethod: 'alfamart' });
    await setPaymentInfo(tenant, retail.id, {
      payment_method: { over_the_counter: { channel_properties: { payment_code: 'NXSALF123456' } } },
    });
    expect((await send(tenant.ctx, 'GET', `/o/${retail.secret_slug}`)).body).toContain(
      'data-copy="NXSALF123456"',
    );
  });

  it('runs no script where there is nothing to copy', async () => {
    const tenant = await createTenant();
    const unpaid = await bankTransferOrder(tenant, { paymentMethod: 'qris' });
    const waiting = await send(tenant.ctx, 'GET', `/o/${unpaid.secret_slug}`);
    expect(waiting.body).toContain('Bayar sekarang');
    expectPageHeaders(waiting);

    const paid = await bankTransferOrder(tenant);
    await moveOrderThrough(tenant.ctx.database.db, tenant.business.id, paid.id, {
      paymentStatus: 'paid',
      actor: 'system',
    });
    expectPageHeaders(await send(tenant.ctx, 'GET', `/o/${paid.secret_slug}`));
  });
});
