import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../../helpers/app.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { type PaymentFixture, paymentFixture } from './fixtures.ts';
import {
  CALLBACK_TOKEN,
  callback,
  closeApp,
  orderState,
  paymentSucceeded,
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
  f = await paymentFixture(await createTenant('Callback'));
});
afterAll(async () => {
  await closeApp(app);
  await stub.stop();
});

const paymentHistory = async (orderId: string) =>
  (await orderState(app, orderId)).history.filter((h) => h.kind === 'payment_status');

describe('Xendit payment callbacks', () => {
  it('refuses a missing or wrong token without reading the body', async () => {
    const order = await xenditOrder(f, app, 'va');
    for (const kind of ['payments', 'invoices'] as const) {
      for (const token of [null, '', 'wrong', `${CALLBACK_TOKEN}x`]) {
        const res = await callback(app, kind, paymentSucceeded(order), token);
        expect(res.statusCode, `${kind} ${token}`).toBe(401);
      }
    }
    const unparsable = await app.app.inject({
      method: 'POST',
      url: '/callbacks/xendit/payments',
      headers: { 'x-callback-token': 'wrong', 'content-type': 'application/json' },
      payload: '{"event":',
    });
    expect(unparsable.statusCode).toBe(401);
    // The shared test app has no callback token configured: nothing is accepted there.
    expect((await callback(f.tenant.ctx, 'payments', paymentSucceeded(order))).statusCode).toBe(401);
    expect(await orderState(app, order.id)).toMatchObject({ payment_status: 'unpaid', paid_time: null });
  });

  it('marks the order paid on payment.succeeded, once however often it is delivered', async () => {
    const order = await xenditOrder(f, app, 'qris');
    const res = await callback(app, 'payments', paymentSucceeded(order));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: true });
    const paid = await orderState(app, order.id);
    expect(paid).toMatchObject({ status: 'pending', payment_status: 'paid', paid_time: expect.any(Date) });
    expect(paid.attempts).toEqual([{ status: 'paid', paid_amount: '150000.00' }]);
    expect(await paymentHistory(order.id)).toEqual([
      { kind: 'payment_status', status: 'unpaid', actor: 'customer' },
      { kind: 'payment_status', status: 'paid', actor: 'system' },
    ]);

    const again = await Promise.all([1, 2, 3].map(() => callback(app, 'payments', paymentSucceeded(order))));
    for (const answer of again) expect(answer.statusCode).toBe(200);
    const after = await orderState(app, order.id);
    expect(after).toEqual(paid);
  });

  it('matches by Xendit’s payment request id when the reference is not ours', async () => {
    const order = await xenditOrder(f, app, 'dana');
    const body = paymentSucceeded(order);
    body.data.reference_id = 'not-a-uuid';
    expect((await callback(app, 'payments', body)).statusCode).toBe(200);
    expect((await orderState(app, order.id)).payment_status).toBe('paid');
  });

  it('answers 200 to an unknown or foreign payment and changes nothing', async () => {
    const order = await xenditOrder(f, app, 'va');
    const unknown = paymentSucceeded({ ...order, attemptId: randomUUID(), xenditId: `pr-${randomUUID()}` });
    expect((await callback(app, 'payments', unknown)).statusCode).toBe(200);
    // A sandbox payment's reference cannot be paid through the Xendit callback.
    const sandboxOrder = await f.order('qris');
    expect((await f.pay(sandboxOrder.secret_slug)).statusCode).toBe(200);
    const sandbox = await app.database.db
      .selectFrom('payment_attempts')
      .select(['id', 'provider_reference'])
      .where('order_id', '=', sandboxOrder.id)
      .executeTakeFirstOrThrow();
    const foreign = paymentSucceeded({
      ...sandboxOrder,
      attemptId: sandbox.id,
      xenditId: String(sandbox.provider_reference),
    });
    expect((await callback(app, 'payments', foreign)).statusCode).toBe(200);
    const odd = [
      {},
      [],
      { event: 'payment.succeeded', data: 'x' },
      { data: { reference_id: 42, amount: 'x' } },
    ];
    for (const body of odd) expect((await callback(app, 'payments', body)).statusCode).toBe(200);
    const broken = await app.app.inject({
      method: 'POST',
      url: '/callbacks/xendit/invoices',
      headers: { 'x-callback-token': CALLBACK_TOKEN, 'content-type': 'application/json' },
      payload: '{"status":',
    });
    expect(broken.statusCode).toBe(400);
    for (const id of [order.id, sandboxOrder.id]) {
      expect(await orderState(app, id)).toMatchObject({ payment_status: 'unpaid', paid_time: null });
    }
  });

  it('ignores events it does not know, even ones named like object properties', async () => {
    const order = await xenditOrder(f, app, 'va');
    for (const event of ['payment.pending', 'constructor', 'toString', '__proto__']) {
      const body = paymentSucceeded(order);
      body.event = event;
      body.data.status = 'PENDING';
      const res = await callback(app, 'payments', body);
      expect(res.statusCode, `${event}: ${res.body}`).toBe(200);
    }
    for (const status of ['PENDING', 'constructor', 'hasOwnProperty']) {
      const res = await callback(app, 'invoices', {
        id: order.xenditId,
        external_id: order.attemptId,
        status,
      });
      expect(res.statusCode, `${status}: ${res.body}`).toBe(200);
    }
    const state = await orderState(app, order.id);
    expect(state).toMatchObject({ payment_status: 'unpaid' });
    expect(state.attempts).toEqual([{ status: 'pending', paid_amount: null }]);
  });

  it('ends the attempt on payment.failed and clears the stale instructions', async () => {
    const order = await xenditOrder(f, app, 'ovo');
    const body = { ...paymentSucceeded(order), event: 'payment.failed' };
    body.data.status = 'FAILED';
    expect((await callback(app, 'payments', body)).statusCode).toBe(200);
    const state = await orderState(app, order.id);
    expect(state).toMatchObject({ status: 'pending', payment_status: 'unpaid', pg_payment_info: {} });
    expect(state.attempts).toEqual([{ status: 'failed', paid_amount: null }]);
  });
});
