import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PAYMENT_EXPIRY_JOB, paymentExpiryHandler } from '../../../src/modules/payments/expiry.ts';
import { SandboxPayments } from '../../../src/providers/payments/sandbox.ts';
import type { TestContext } from '../../helpers/app.ts';
import { setStock } from '../../helpers/catalog.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { type PaymentFixture, paymentFixture } from '../payments/fixtures.ts';
import { callback, closeApp, paymentSucceeded, xenditApp, xenditOrder } from '../payments/xendit-fixtures.ts';
import { XenditStub } from '../payments/xendit-stub.ts';
import { moveOrderThrough } from './fixtures.ts';
import { eventNames, orderEvents, subscribeToEverything } from './webhook-events.ts';

let f: PaymentFixture;
let tenant: Tenant;
let other: Tenant;
let sandbox: SandboxPayments;
/** Restricted keys with one scope each (a business holds at most 10 keys). */
const keys = { read: '', list: '', update: '' };

beforeAll(async () => {
  tenant = await createTenant('Bayar Bisnis');
  other = await createTenant('Bayar Tetangga');
  f = await paymentFixture(tenant);
  // The fixture stocks 10 units; these tests place more orders than that.
  await setStock(tenant, f.warehouseId, f.variantId, 100);
  await subscribeToEverything(tenant);
  sandbox = new SandboxPayments(tenant.ctx.database.db, 'http://nexus.test');
  keys.read = await tenant.restrictedKey(['order:read']);
  keys.list = await tenant.restrictedKey(['order:list']);
  keys.update = await tenant.restrictedKey(['order:update']);
});

const pay = (id: string, key?: string) =>
  tenant.request('POST', `/v3/orders/${id}/payment`, key ? { key } : {});
const check = (id: string, what: 'payment' | 'settlement', key?: string) =>
  tenant.request('POST', `/v3/orders/${id}/check-${what}`, key ? { key } : {});

describe('createOrderPayment', () => {
  it('creates the gateway payment once and answers the business order with its instructions', async () => {
    const order = await f.order('va', { subPaymentMethod: 'BNI' });
    const first = await pay(order.id);
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({
      id: order.id,
      order_id: order.order_id,
      payment_status: 'unpaid',
      epayment_provider: 'sandbox',
      pg_reference_id: expect.stringMatching(/^pr-/),
    });
    expect(body.pg_payment_info.payment_method.virtual_account.channel_code).toBe('BNI');
    const again = await pay(order.id);
    expect(again.statusCode).toBe(200);
    expect(again.json().pg_reference_id).toBe(body.pg_reference_id);
    expect(again.json().pg_payment_info).toEqual(body.pg_payment_info);
    expect(await eventNames(tenant, order.id)).toEqual(['order.epayment_created']);
  });

  it('leaves a bank transfer order as it is', async () => {
    const order = await f.order('bank_transfer');
    const res = await pay(order.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: order.id, pg_payment_info: {}, pg_reference_id: null });
    expect(await eventNames(tenant, order.id)).toEqual([]);
  });

  it('refuses a canceled order with 409', async () => {
    const order = await f.order('qris');
    await moveOrderThrough(tenant.ctx.database.db, tenant.business.id, order.id, {
      status: 'canceled',
      actor: 'business',
    });
    const res = await pay(order.id);
    expect(res.statusCode, res.body).toBe(409);
  });

  it('needs order:update, and finds neither another business’s order nor junk ids', async () => {
    const order = await f.order('qris');
    expect((await pay(order.id, keys.read)).statusCode).toBe(403);
    expect((await pay(order.id, keys.update)).statusCode).toBe(200);
    const foreign = await other.request('POST', `/v3/orders/${order.id}/payment`);
    expect(foreign.statusCode).toBe(404);
    for (const id of ['12345', 'not-an-id', '0192f3a0-0000-7000-8000-000000000000']) {
      expect((await pay(id)).statusCode).toBe(404);
    }
  });
});

describe('checkOrderPayment and checkOrderSettlement (sandbox)', () => {
  async function paidOrder() {
    const order = await f.order('qris');
    const created = await pay(order.id);
    expect(created.statusCode, created.body).toBe(200);
    return { ...order, reference: created.json().pg_reference_id as string };
  }

  it('applies what the gateway says, once, with its events', async () => {
    const order = await paidOrder();
    const pending = await check(order.id, 'payment');
    expect(pending.statusCode, pending.body).toBe(200);
    expect(pending.json().payment_status).toBe('unpaid');

    await sandbox.setStatus(order.reference, 'SUCCEEDED');
    const settlementFirst = await check(order.id, 'settlement');
    expect(settlementFirst.json().payment_status).toBe('unpaid');
    const paid = await check(order.id, 'payment');
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ payment_status: 'paid', paid_time: expect.any(String) });
    expect((await check(order.id, 'payment')).json().payment_status).toBe('paid');
    expect(await eventNames(tenant, order.id)).toEqual([
      'order.epayment_created',
      'order.payment_status_changed',
      'payment.received',
    ]);

    await sandbox.setStatus(order.reference, 'SETTLED');
    const settled = await check(order.id, 'settlement');
    expect(settled.json().payment_status).toBe('settled');
    expect((await eventNames(tenant, order.id)).slice(3)).toEqual([
      'order.payment_status_changed',
      'payment.received',
    ]);
  });

  it('answers orders without a gateway payment unchanged', async () => {
    const order = await f.order('bank_transfer');
    for (const what of ['payment', 'settlement'] as const) {
      const res = await check(order.id, what);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: order.id, payment_status: 'unpaid' });
    }
  });

  it('needs order:read and keeps to the caller’s business', async () => {
    const order = await paidOrder();
    for (const what of ['payment', 'settlement'] as const) {
      expect((await check(order.id, what, keys.list)).statusCode).toBe(403);
      expect((await check(order.id, what, keys.read)).statusCode).toBe(200);
      expect((await other.request('POST', `/v3/orders/${order.id}/check-${what}`)).statusCode).toBe(404);
      expect((await check('x'.repeat(65), what)).statusCode).toBe(422);
    }
  });
});

describe('checkOrderPayment with the xendit driver', () => {
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
  const checkOn = (id: string) =>
    send(app, 'POST', `/v3/orders/${id}/check-payment`, {
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    });

  it('asks Xendit for the payment request and pays the order when it succeeded', async () => {
    const order = await xenditOrder(f, app, 'va', { subPaymentMethod: 'BRI' });
    expect((await checkOn(order.id)).json().payment_status).toBe('unpaid');
    stub.setStatus(order.xenditId, 'SUCCEEDED');
    const res = await checkOn(order.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().payment_status).toBe('paid');
    expect(stub.requestsTo('GET', `/payment_requests/${order.xenditId}`)).toHaveLength(2);
  });

  it('a Xendit callback emits the payment events once, however often it is delivered', async () => {
    const order = await xenditOrder(f, app, 'qris');
    for (let delivery = 0; delivery < 2; delivery++) {
      expect((await callback(app, 'payments', paymentSucceeded(order))).statusCode).toBe(200);
    }
    expect(await eventNames(tenant, order.id)).toEqual([
      'order.epayment_created',
      'order.payment_status_changed',
      'payment.received',
    ]);
  });

  it('answers 503 and changes nothing when Xendit fails', async () => {
    const order = await xenditOrder(f, app, 'qris');
    stub.setStatus(order.xenditId, 'SUCCEEDED');
    stub.failure = { status: 500 };
    const res = await checkOn(order.id);
    expect(res.statusCode, res.body).toBe(503);
    stub.failure = null;
    expect((await checkOn(order.id)).json().payment_status).toBe('paid');
  });
});

describe('payment expiry', () => {
  it('cancels an overdue order with its webhook events', async () => {
    const order = await f.order('qris', { paymentExpiresAt: new Date(Date.now() - 60_000) });
    const handler = paymentExpiryHandler(
      () => {
        throw new Error('no Xendit payment here');
      },
      () => 'http://nexus.test',
    );
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    await handler(
      { business_id: tenant.business.id, order_id: order.id },
      {
        job: { id: 1, kind: PAYMENT_EXPIRY_JOB, payload: null, attempts: 1, max_attempts: 8 },
        db: tenant.ctx.database.db,
        signal: new AbortController().signal,
        logger: quiet,
      },
    );
    expect((await tenant.request('GET', `/v3/orders/${order.id}`)).json().status).toBe('canceled');
    const events = await orderEvents(tenant, order.id);
    expect(events.map((entry) => entry.event)).toEqual(['order.status_changed']);
    expect(events[0]?.data).toMatchObject({
      status: 'canceled',
      public_order_url: expect.stringContaining('http://nexus.test/o/'),
    });
  });
});

describe('getOrderByPgReferenceId and listOrdersByPgReferenceIds', () => {
  it('find the business’s orders by their gateway reference', async () => {
    const a = await f.order('qris');
    const b = await f.order('va');
    const refA = (await pay(a.id)).json().pg_reference_id as string;
    const refB = (await pay(b.id)).json().pg_reference_id as string;

    const one = await tenant.request('GET', `/v3/orders/pg-reference-id/${refA}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual({ id: a.id, order_id: a.order_id });
    expect((await tenant.request('GET', '/v3/orders/pg-reference-id/pr-unknown')).statusCode).toBe(404);
    expect((await other.request('GET', `/v3/orders/pg-reference-id/${refA}`)).statusCode).toBe(404);

    const many = await tenant.request('GET', '/v3/orders/pg-reference-ids', {
      query: { pg_reference_ids: ` ${refA},pr-unknown,,${refB},${refA}` },
    });
    expect(many.statusCode, many.body).toBe(200);
    expect(many.json()).toEqual({
      [refA]: { id: a.id, order_id: a.order_id },
      [refB]: { id: b.id, order_id: b.order_id },
    });
    const foreign = await other.request('GET', '/v3/orders/pg-reference-ids', {
      query: { pg_reference_ids: refA },
    });
    expect(foreign.json()).toEqual({});
  });

  it('refuse bad input and missing scopes', async () => {
    const list = (query: Record<string, string>, key?: string) =>
      tenant.request('GET', '/v3/orders/pg-reference-ids', { query, ...(key ? { key } : {}) });
    expect((await list({})).statusCode).toBe(422);
    expect((await list({ pg_reference_ids: ' , ' })).statusCode).toBe(422);
    const tooMany = Array.from({ length: 101 }, (_, i) => `ref-${i}`).join(',');
    expect((await list({ pg_reference_ids: tooMany })).statusCode).toBe(422);
    expect((await list({ pg_reference_ids: 'a' }, keys.read)).statusCode).toBe(403);
    expect((await list({ pg_reference_ids: 'a' }, keys.list)).statusCode).toBe(200);
    const one = (ref: string, key?: string) =>
      tenant.request('GET', `/v3/orders/pg-reference-id/${ref}`, key ? { key } : {});
    expect((await one('a', keys.list)).statusCode).toBe(403);
    expect((await one('a', keys.read)).statusCode).toBe(404);
    // Path parameters longer than 100 characters are refused by the router, before validation.
    expect((await one('x'.repeat(101))).statusCode).toBe(414);
  });
});
