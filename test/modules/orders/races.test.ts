import { describe, expect, it } from 'vitest';
import { expireUnpaidOrder } from '../../../src/modules/payments/expiry.ts';
import { applyPaymentOutcome } from '../../../src/modules/payments/outcomes.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { type PaymentFixture, paymentFixture } from '../payments/fixtures.ts';
import { stockOf } from './fixtures.ts';

/**
 * Status changes from different sources racing on one order: each must end in one consistent state
 * (the lifecycle's, the order row locked by each), with the stock given back at most once.
 */
const ROUNDS = 4;

async function waitingPayment(f: PaymentFixture) {
  const order = await f.order('qris');
  const paid = await f.pay(order.secret_slug);
  expect(paid.statusCode, paid.body).toBe(200);
  const attempt = await f.tenant.ctx.database.db
    .selectFrom('payment_attempts')
    .select('id')
    .where('order_id', '=', order.id)
    .executeTakeFirstOrThrow();
  return { order, attemptId: attempt.id };
}

async function stateOf(f: PaymentFixture, orderId: string) {
  const db = f.tenant.ctx.database.db;
  const order = await db
    .selectFrom('orders')
    .select(['status', 'payment_status'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const cancels = await db
    .selectFrom('order_status_histories')
    .select('id')
    .where('order_id', '=', orderId)
    .where('status', '=', 'canceled')
    .execute();
  return { ...order, cancels: cancels.length };
}

describe('order status races', () => {
  it('a payment callback racing a business cancel: canceled once, paid or in conflict, stock back once', async () => {
    const f = await paymentFixture(await createTenant('Balapan bayar'));
    const stock = () => stockOf(f.tenant, f.warehouseId, f.variantId);
    const initial = await stock();
    for (let round = 0; round < ROUNDS; round++) {
      const { order, attemptId } = await waitingPayment(f);
      const [, cancel] = await Promise.all([
        applyPaymentOutcome(f.tenant.ctx.database.db, attemptId, 'paid'),
        f.tenant.request('POST', '/v3/orders/change-status', {
          body: { ids: [order.id], status: 'canceled' },
        }),
      ]);
      expect(cancel.statusCode, cancel.body).toBe(200);
      const state = await stateOf(f, order.id);
      // Paid first, then canceled by the merchant (who refunds); or canceled first, and the late
      // payment is a conflict. Never paid-and-pending beside a cancel, never two cancels.
      expect(state.status).toBe('canceled');
      expect(['paid', 'conflict']).toContain(state.payment_status);
      expect(state.cancels).toBe(1);
      expect(await stock()).toBe(initial);
    }
  });

  it('an expiry racing a payment: either paid and still held, or canceled with the payment in conflict', async () => {
    const f = await paymentFixture(await createTenant('Balapan kedaluwarsa'));
    const stock = () => stockOf(f.tenant, f.warehouseId, f.variantId);
    const initial = await stock();
    let held = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { order, attemptId } = await waitingPayment(f);
      const db = f.tenant.ctx.database.db;
      const [expiry] = await Promise.all([
        expireUnpaidOrder(db, f.tenant.business.id, order.id, { force: true }),
        applyPaymentOutcome(db, attemptId, 'paid'),
      ]);
      const state = await stateOf(f, order.id);
      if (expiry === 'canceled') {
        expect(state).toEqual({ status: 'canceled', payment_status: 'conflict', cancels: 1 });
      } else {
        expect(expiry).toBe('not_expirable');
        expect(state).toEqual({ status: 'pending', payment_status: 'paid', cancels: 0 });
        held++;
      }
      // Each order still held keeps its one unit; every canceled one gave it back, once.
      expect(await stock()).toBe(initial - held);
    }
  });
});
