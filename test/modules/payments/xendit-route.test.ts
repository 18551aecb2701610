import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestContext } from '../../helpers/app.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { paymentFixture } from './fixtures.ts';
import { closeApp, orderState, xenditApp } from './xendit-fixtures.ts';
import { at, issuedFor, XenditStub } from './xendit-stub.ts';

const stub = new XenditStub();
let app: TestContext;

beforeAll(async () => {
  await stub.start();
  app = await xenditApp(stub);
});
afterAll(async () => {
  await closeApp(app);
  await stub.stop();
});
beforeEach(() => {
  stub.failure = null;
});

async function expiryJobs(orderId: string) {
  return app.database.db
    .selectFrom('jobs')
    .select('run_at')
    .where('kind', '=', 'payments.expire')
    .where(sql`payload->>'order_id'`, '=', orderId)
    .execute();
}

describe('createStorefrontPublicOrderPayment with the xendit driver', () => {
  it('stores what Xendit issued on the order and answers it to the storefront', async () => {
    const f = await paymentFixture(await createTenant('Xendit VA'));
    const order = await f.order('va', { subPaymentMethod: 'BRI' });
    const res = await f.pay(order.secret_slug, { app: app.app });
    expect(res.statusCode, res.body).toBe(200);
    const issued = issuedFor(stub, order.order_id);
    expect(issued).toHaveLength(1);
    const pr = issued[0];
    const number = at(pr, 'payment_method.virtual_account.channel_properties.virtual_account_number');
    expect(number).toMatch(/^26215\d{11}$/);
    expect(res.json()).toMatchObject({
      epayment_provider: 'xendit',
      payment_status: 'unpaid',
      pg_payment_info: {
        id: pr?.id,
        amount: 150000,
        payment_method: {
          virtual_account: { channel_code: 'BRI', channel_properties: { virtual_account_number: number } },
        },
      },
    });
    const state = await orderState(app, order.id);
    expect(state).toMatchObject({ pg_reference_id: pr?.id, epayment_provider: 'xendit' });
    expect(state.attempts).toEqual([{ status: 'pending', paid_amount: null }]);
    expect(await expiryJobs(order.id)).toHaveLength(1);
    // Asking again returns the same instructions without calling Xendit.
    const calls = stub.requests.length;
    const again = await f.pay(order.secret_slug, { app: app.app });
    expect(again.json().pg_payment_info).toEqual(res.json().pg_payment_info);
    expect(stub.requests.length).toBe(calls);
  });

  it('answers 503 while Xendit fails, writes nothing, and a retry creates exactly one payment', async () => {
    const f = await paymentFixture(await createTenant('Xendit gagal'));
    const order = await f.order('qris');
    const posts = () =>
      stub
        .requestsTo('POST', '/payment_requests')
        .filter((r) => at(r.body, 'metadata.order_id') === order.order_id);
    const created = () => issuedFor(stub, order.order_id);

    stub.failure = { status: 500 };
    const failed = await f.pay(order.secret_slug, { app: app.app });
    expect(failed.statusCode, failed.body).toBe(503);
    expect(failed.json()).toMatchObject({
      error_code: 'service_unavailable',
      message: 'The payment provider is unavailable; try again shortly',
    });

    stub.failure = null;
    await stub.stop();
    const down = await f.pay(order.secret_slug, { app: app.app });
    expect(down.statusCode, down.body).toBe(503);
    await stub.start();
    // The 500 reached the stub; while it was down nothing did.
    expect(posts()).toHaveLength(1);

    let state = await orderState(app, order.id);
    expect(state).toMatchObject({
      status: 'pending',
      payment_status: 'unpaid',
      pg_reference_id: null,
      epayment_provider: null,
      pg_payment_info: {},
    });
    expect(state.attempts.map((a) => a.status)).toEqual(['error', 'error']);
    expect(await expiryJobs(order.id)).toEqual([]);
    expect(created()).toEqual([]);

    const retried = await f.pay(order.secret_slug, { app: app.app });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().pg_payment_info.qr_string).toMatch(/^000201/);
    state = await orderState(app, order.id);
    expect(state.attempts.map((a) => a.status)).toEqual(['error', 'error', 'pending']);
    expect(created()).toHaveLength(1);
    expect(posts()).toHaveLength(2);
    expect(state.pg_reference_id).toBe(created()[0]?.id);
    expect(await expiryJobs(order.id)).toHaveLength(1);
  });

  it('answers 503 when Xendit refuses the payment, and the order stays payable', async () => {
    const f = await paymentFixture(await createTenant('Xendit tolak'));
    const order = await f.order('card');
    stub.failure = { status: 400, body: { error_code: 'API_VALIDATION_ERROR', message: 'no' } };
    const refused = await f.pay(order.secret_slug, { app: app.app });
    expect(refused.statusCode, refused.body).toBe(503);
    expect(refused.json().message).toBe('The payment provider refused this payment');
    stub.failure = null;
    const res = await f.pay(order.secret_slug, { app: app.app });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().pg_payment_info.invoice_url).toMatch(/^https:\/\/checkout-staging\.xendit\.co\/web\//);
  });
});
