import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireUnpaidOrder } from '../../../src/modules/payments/expiry.ts';
import type { TestContext } from '../../helpers/app.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { type PaymentFixture, paymentFixture } from './fixtures.ts';
import {
  callback,
  closeApp,
  orderState,
  paymentSucceeded,
  type XenditOrder,
  xenditApp,
  xenditOrder,
} from './xendit-fixtures.ts';
import { XenditStub } from './xendit-stub.ts';

const stub = new XenditStub();
let app: TestContext;
let f: PaymentFixture;

beforeAll(async () => {
  await stub.start();
  app = await xenditApp(stub);
  f = await paymentFixture(await createTenant('Callback hasil'));
});
afterAll(async () => {
  await closeApp(app);
  await stub.stop();
});

/** An Invoice callback as Xendit sends it for cards and payment links. */
function invoice(order: XenditOrder, status: string, paidAmount = 150000) {
  return {
    id: order.xenditId,
    external_id: order.attemptId,
    user_id: '5f27a14a9bf05c73dd040bc8',
    status,
    merchant_name: 'Nexus Test',
    amount: 150000,
    ...(status === 'EXPIRED' ? {} : { paid_amount: paidAmount, paid_at: new Date().toISOString() }),
    payment_method: 'CREDIT_CARD',
    currency: 'IDR',
    created: new Date().toISOString(),
  };
}

const paymentStatuses = async (orderId: string) =>
  (await orderState(app, orderId)).history.filter((h) => h.kind === 'payment_status').map((h) => h.status);

describe('Xendit callback outcomes', () => {
  it('pays and then settles an invoice, each once', async () => {
    const order = await xenditOrder(f, app, 'card');
    expect((await callback(app, 'invoices', invoice(order, 'PAID'))).statusCode).toBe(200);
    expect(await orderState(app, order.id)).toMatchObject({ payment_status: 'paid', settled_time: null });
    for (let i = 0; i < 2; i++) {
      expect((await callback(app, 'invoices', invoice(order, 'SETTLED'))).statusCode).toBe(200);
      expect((await callback(app, 'invoices', invoice(order, 'PAID'))).statusCode).toBe(200);
    }
    const state = await orderState(app, order.id);
    expect(state).toMatchObject({ payment_status: 'settled', settled_time: expect.any(Date) });
    expect(state.attempts).toEqual([{ status: 'settled', paid_amount: '150000.00' }]);
    expect(await paymentStatuses(order.id)).toEqual(['unpaid', 'paid', 'settled']);
  });

  it('settles straight from unpaid through paid', async () => {
    const order = await xenditOrder(f, app, 'invoice');
    expect((await callback(app, 'invoices', invoice(order, 'SETTLED'))).statusCode).toBe(200);
    expect(await paymentStatuses(order.id)).toEqual(['unpaid', 'paid', 'settled']);
  });

  it('ends an expired invoice without canceling the order', async () => {
    const order = await xenditOrder(f, app, 'card');
    expect((await callback(app, 'invoices', invoice(order, 'EXPIRED'))).statusCode).toBe(200);
    const state = await orderState(app, order.id);
    expect(state).toMatchObject({ status: 'pending', payment_status: 'unpaid', canceled_time: null });
    expect(state.attempts).toEqual([{ status: 'expired', paid_amount: null }]);
    // The buyer can ask for a new payment.
    const again = await f.pay(order.secret_slug, { app: app.app });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().pg_reference_id).toBeUndefined();
    expect((await orderState(app, order.id)).attempts.map((a) => a.status)).toEqual(['expired', 'pending']);
  });

  it('turns a short payment into a conflict', async () => {
    const card = await xenditOrder(f, app, 'card');
    expect((await callback(app, 'invoices', invoice(card, 'PAID', 149999))).statusCode).toBe(200);
    expect(await orderState(app, card.id)).toMatchObject({ payment_status: 'conflict', paid_time: null });
    expect(await paymentStatuses(card.id)).toEqual(['unpaid', 'conflict']);

    const va = await xenditOrder(f, app, 'va');
    expect((await callback(app, 'payments', paymentSucceeded(va, 100000))).statusCode).toBe(200);
    const state = await orderState(app, va.id);
    expect(state.payment_status).toBe('conflict');
    expect(state.attempts).toEqual([{ status: 'paid', paid_amount: '100000.00' }]);
    // A repeated delivery of the short payment changes nothing.
    expect((await callback(app, 'payments', paymentSucceeded(va, 100000))).statusCode).toBe(200);
    expect(await paymentStatuses(va.id)).toEqual(['unpaid', 'conflict']);
  });

  it('turns a payment on a canceled order into a conflict, the order staying canceled', async () => {
    const order = await xenditOrder(f, app, 'qris');
    expect(await expireUnpaidOrder(app.database.db, f.tenant.business.id, order.id, { force: true })).toBe(
      'canceled',
    );
    expect((await callback(app, 'payments', paymentSucceeded(order))).statusCode).toBe(200);
    const state = await orderState(app, order.id);
    expect(state).toMatchObject({ status: 'canceled', payment_status: 'conflict', paid_time: null });
    expect(await paymentStatuses(order.id)).toEqual(['unpaid', 'conflict']);
  });

  it('turns a second payment of a paid order into a conflict', async () => {
    const order = await xenditOrder(f, app, 'va');
    const failed = { ...paymentSucceeded(order), event: 'payment.failed' };
    expect((await callback(app, 'payments', failed)).statusCode).toBe(200);
    const res = await f.pay(order.secret_slug, { app: app.app });
    expect(res.statusCode, res.body).toBe(200);
    const issued = res.json().pg_payment_info;
    const second: XenditOrder = { ...order, attemptId: issued.reference_id, xenditId: issued.id };
    expect(second.attemptId).not.toBe(order.attemptId);
    expect((await callback(app, 'payments', paymentSucceeded(second))).statusCode).toBe(200);
    expect((await orderState(app, order.id)).payment_status).toBe('paid');
    // The first payment arrives after all: the money must go back to the buyer.
    expect((await callback(app, 'payments', paymentSucceeded(order))).statusCode).toBe(200);
    const state = await orderState(app, order.id);
    expect(state.payment_status).toBe('conflict');
    expect(state.attempts.map((a) => a.status)).toEqual(['conflict', 'paid']);
    expect(await paymentStatuses(order.id)).toEqual(['unpaid', 'paid', 'conflict']);
  });
});
