import { describe, expect, it } from 'vitest';
import { setOrderStatus, setPaymentStatus } from '../../../src/modules/orders/status.ts';
import { createTenant, send } from '../../helpers/tenants.ts';
import { bankTransferOrder, setPaymentInfo } from './helpers.ts';

function expectPageHeaders(headers: Record<string, unknown>) {
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toMatch(/style-src 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('script-src');
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
    expectPageHeaders(response.headers);
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
    expect(page).not.toMatch(/<script/i);
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
    await setPaymentStatus(db, {
      businessId: tenant.business.id,
      orderId: paid.id,
      status: 'paid',
      actor: 'system',
    });
    const paidPage = (await send(tenant.ctx, 'GET', `/o/${paid.secret_slug}`)).body;
    expect(paidPage).toContain('Pembayaran sudah diterima');
    expect(paidPage).not.toContain('Transfer tepat sebesar');

    const canceled = await bankTransferOrder(tenant);
    await setOrderStatus(db, {
      businessId: tenant.business.id,
      orderId: canceled.id,
      status: 'canceled',
      actor: 'business',
    });
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
      expectPageHeaders(response.headers);
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
    expectPageHeaders(response.headers);
    expect(response.body).toContain('Terima kasih, Budi Santoso!');
    expect(response.body).toContain(`#${order.order_id}`);
    expect(response.body).toContain('Rp149.724');
    expect(response.body).toContain(`href="/o/${order.secret_slug}"`);
  });
});
