import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { crc16, parseTlv } from '../../../src/providers/payments/qris.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { ISO } from '../orders/fixtures.ts';
import { paymentFixture } from './fixtures.ts';

const SANDBOX_PAGE = /^http:\/\/nexus\.test\/sandbox\/payments\/pr-[0-9a-f-]{36}\?via=(web|mobile|deeplink)$/;

function validQris(qr: string): void {
  expect(qr.slice(-8, -4)).toBe('6304');
  expect(qr.slice(-4)).toBe(crc16(qr.slice(0, -4)));
  const fields = parseTlv(qr);
  expect(fields.get('00')).toBe('01');
  expect(fields.get('01')).toBe('12');
  expect(fields.get('53')).toBe('360');
  expect(fields.get('54')).toBe('150000');
  expect(fields.get('58')).toBe('ID');
}

describe('createStorefrontPublicOrderPayment (sandbox)', () => {
  it('issues a virtual account once and returns the same instructions on every call', async () => {
    const f = await paymentFixture(await createTenant('Bayar VA'));
    const order = await f.order('va', { subPaymentMethod: 'BNI' });
    const first = await f.pay(order.secret_slug);
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({
      id: order.id,
      secret_slug: order.secret_slug,
      order_id: order.order_id,
      payment_method: 'va',
      sub_payment_method: 'BNI',
      epayment_provider: 'sandbox',
      payment_status: 'unpaid',
      gross_revenue: '150000.00',
    });
    expect(body.payment_expiration_at).toMatch(ISO);
    const info = body.pg_payment_info;
    expect(info).toEqual({
      id: expect.stringMatching(/^pr-[0-9a-f-]{36}$/),
      reference_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'PENDING',
      amount: 150000,
      currency: 'IDR',
      country: 'ID',
      created: expect.stringMatching(ISO),
      expires_at: body.payment_expiration_at,
      payment_method: {
        type: 'VIRTUAL_ACCOUNT',
        reusability: 'ONE_TIME_USE',
        virtual_account: {
          channel_code: 'BNI',
          channel_properties: {
            customer_name: 'Budi Santoso',
            virtual_account_number: expect.stringMatching(/^99999\d{11}$/),
            expires_at: body.payment_expiration_at,
          },
        },
      },
      actions: [],
    });
    // No internal fields leak beside the instructions.
    expect(body).not.toHaveProperty('pg_reference_id');

    const again = await f.pay(order.secret_slug);
    expect(again.statusCode).toBe(200);
    expect(again.json().pg_payment_info).toEqual(info);
    // The order view shows the same instructions.
    const attempts = await f.tenant.ctx.database.db
      .selectFrom('payment_attempts')
      .select(['status', 'provider', 'amount'])
      .where('order_id', '=', order.id)
      .execute();
    expect(attempts).toEqual([{ status: 'pending', provider: 'sandbox', amount: '150000.00' }]);
  });

  it('creates one payment when calls race', async () => {
    const f = await paymentFixture(await createTenant('Bayar balapan'));
    const order = await f.order('qris');
    const answers = await Promise.all(Array.from({ length: 6 }, () => f.pay(order.secret_slug)));
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200);
    const strings = new Set(answers.map((answer) => answer.json().pg_payment_info.qr_string));
    expect(strings.size).toBe(1);
    const sandbox = await f.tenant.ctx.database.db
      .selectFrom('payment_sandbox_payments')
      .select('reference_id')
      .where('order_id', '=', order.id)
      .execute();
    expect(sandbox).toHaveLength(1);
  });

  it('answers each method family in the shape storefronts read', async () => {
    const f = await paymentFixture(await createTenant('Bayar semua'));
    const info = async (method: string) => {
      const order = await f.order(method);
      const res = await f.pay(order.secret_slug);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().pg_payment_info;
    };

    for (const method of ['qris', 'gopay']) {
      const qris = await info(method);
      expect(qris.payment_method.type).toBe('QR_CODE');
      expect(qris.payment_method.qr_code.channel_code).toBe('QRIS');
      expect(qris.payment_method.qr_code.channel_properties.qr_string).toBe(qris.qr_string);
      validQris(qris.qr_string);
    }

    for (const [method, code, prefix] of [
      ['alfamart', 'ALFAMART', 'NXSALF'],
      ['indomaret', 'INDOMARET', 'NXSIDM'],
    ] as const) {
      const retail = await info(method);
      expect(retail.payment_method.type).toBe('OVER_THE_COUNTER');
      expect(retail.payment_method.over_the_counter.channel_code).toBe(code);
      expect(retail.payment_method.over_the_counter.channel_properties.payment_code).toMatch(
        new RegExp(`^${prefix}\\d{8}$`),
      );
    }

    for (const [method, types] of [
      ['dana', ['WEB', 'MOBILE']],
      ['linkaja', ['WEB', 'MOBILE']],
      ['shopeepay', ['DEEPLINK', 'WEB']],
    ] as const) {
      const wallet = await info(method);
      expect(wallet.status).toBe('REQUIRES_ACTION');
      expect(wallet.payment_method.ewallet.channel_code).toBe(method.toUpperCase());
      expect(wallet.actions.map((a: { url_type: string }) => a.url_type)).toEqual(types);
      for (const action of wallet.actions) {
        expect(action).toMatchObject({ action: 'AUTH', method: 'GET', qr_code: null });
        expect(action.url).toMatch(SANDBOX_PAGE);
      }
      expect(wallet.payment_method.ewallet.channel_properties.success_return_url).toMatch(
        /^http:\/\/nexus\.test\/o\/[A-Za-z0-9_-]{40}\/success$/,
      );
    }
    // OVO pushes the payment to the buyer's OVO app: no URL, the phone in E.164.
    const ovo = await info('ovo');
    expect(ovo.actions).toEqual([]);
    expect(ovo.payment_method.ewallet.channel_properties).toEqual({ mobile_number: '+6281234567890' });

    for (const method of ['card', 'invoice']) {
      const invoice = await info(method);
      expect(invoice).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        external_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'PENDING',
        amount: 150000,
        currency: 'IDR',
        invoice_url: `http://nexus.test/sandbox/payments/${invoice.id}`,
        expiry_date: expect.stringMatching(ISO),
        created: expect.stringMatching(ISO),
      });
      const page = await f.tenant.ctx.app.inject({ method: 'GET', url: `/sandbox/payments/${invoice.id}` });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.body).toContain('Rp150.000');
    }
  });

  it('issues distinct instructions to different orders', async () => {
    const f = await paymentFixture(await createTenant('Bayar unik'));
    const numbers = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const order = await f.order('va');
      const res = await f.pay(order.secret_slug);
      numbers.add(
        res.json().pg_payment_info.payment_method.virtual_account.channel_properties.virtual_account_number,
      );
    }
    expect(numbers.size).toBe(3);
    for (const number of numbers) expect(number).toMatch(/^99999\d{11}$/);
  });

  it('returns bank transfer and COD orders unchanged', async () => {
    const f = await paymentFixture(await createTenant('Bayar transfer'));
    for (const method of ['bank_transfer', 'cod']) {
      const order = await f.order(method);
      const res = await f.pay(order.secret_slug);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        payment_method: method,
        pg_payment_info: {},
        epayment_provider: null,
      });
    }
    const attempts = await f.tenant.ctx.database.db
      .selectFrom('payment_attempts')
      .select('id')
      .where('business_id', '=', f.tenant.business.id)
      .execute();
    expect(attempts).toEqual([]);
  });

  it('returns a paid order as it is, and refuses canceled or expired ones', async () => {
    const f = await paymentFixture(await createTenant('Bayar status'));
    const db = f.tenant.ctx.database.db;
    const paid = await f.order('qris');
    await db.updateTable('orders').set({ payment_status: 'paid' }).where('id', '=', paid.id).execute();
    const paidAnswer = await f.pay(paid.secret_slug);
    expect(paidAnswer.statusCode).toBe(200);
    expect(paidAnswer.json()).toMatchObject({ payment_status: 'paid', pg_payment_info: {} });

    const canceled = await f.order('qris');
    await db.updateTable('orders').set({ status: 'canceled' }).where('id', '=', canceled.id).execute();
    const canceledAnswer = await f.pay(canceled.secret_slug);
    expect(canceledAnswer.statusCode).toBe(409);
    expect(canceledAnswer.json()).toMatchObject({
      error_code: 'state_conflict',
      message: 'The order is canceled',
    });

    const expired = await f.order('va', { paymentExpiresAt: new Date(Date.now() - 1000) });
    const expiredAnswer = await f.pay(expired.secret_slug);
    expect(expiredAnswer.statusCode).toBe(409);
    expect(expiredAnswer.json().message).toBe('The payment window of this order has closed');
  });

  it('keeps the order’s own payment deadline', async () => {
    const f = await paymentFixture(await createTenant('Bayar tenggat'));
    const deadline = new Date(Date.now() + 3 * 60 * 60 * 1000);
    deadline.setMilliseconds(0);
    const order = await f.order('va', { paymentExpiresAt: deadline });
    const res = await f.pay(order.secret_slug);
    expect(res.json().payment_expiration_at).toBe(deadline.toISOString());
    expect(res.json().pg_payment_info.expires_at).toBe(deadline.toISOString());
    const jobs = await f.tenant.ctx.database.db
      .selectFrom('jobs')
      .select(['kind', 'payload', 'run_at'])
      .where('kind', '=', 'payments.expire')
      .where(sql`payload->>'order_id'`, '=', order.id)
      .execute();
    expect(jobs).toEqual([
      {
        kind: 'payments.expire',
        payload: { business_id: f.tenant.business.id, order_id: order.id },
        run_at: deadline,
      },
    ]);
  });

  it('answers the uniform 404 for another store, an unknown store and an unknown slug', async () => {
    const f = await paymentFixture(await createTenant('Bayar 404'));
    const other = await paymentFixture(await createTenant('Toko lain'));
    const order = await f.order('va');

    const foreignKey = await f.pay(order.secret_slug, { key: other.key });
    expect(foreignKey.statusCode).toBe(404);
    expect(foreignKey.json()).toMatchObject({ error_code: 'not_found', message: 'Store not found' });
    const unknownStore = await f.pay(order.secret_slug, { storeUniqueId: 'store_doesnotexist000000000000' });
    expect(unknownStore.statusCode).toBe(404);
    expect(unknownStore.json().message).toBe('Store not found');
    // Another store's own key cannot reach this store's order through its own store either.
    const viaOtherStore = await f.pay(order.secret_slug, {
      key: other.key,
      storeUniqueId: other.tenant.store.unique_id,
    });
    expect(viaOtherStore.statusCode).toBe(404);
    expect(viaOtherStore.json().message).toBe('Order not found');
    const unknownSlug = await f.pay('x'.repeat(40));
    expect(unknownSlug.statusCode).toBe(404);
    expect(unknownSlug.json().message).toBe('Order not found');
    // Nothing was created by any of them.
    const attempts = await f.tenant.ctx.database.db
      .selectFrom('payment_attempts')
      .select('id')
      .where('order_id', '=', order.id)
      .execute();
    expect(attempts).toEqual([]);
  });

  it('validates the path', async () => {
    const f = await paymentFixture(await createTenant('Bayar 422'));
    const res = await f.pay('not.a~slug');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error_code: 'validation_failed',
      errors: { secret_slug: expect.any(Array) },
    });
  });
});
