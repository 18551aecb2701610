import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../src/jobs/queue.ts';
import type { JobContext } from '../../../src/jobs/worker.ts';
import { PAYMENT_EXPIRY_JOB, paymentExpiryHandler } from '../../../src/modules/payments/expiry.ts';
import { XenditPayments } from '../../../src/providers/payments/xendit.ts';
import type { TestContext } from '../../helpers/app.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { stockOf } from '../orders/fixtures.ts';
import { type PaymentFixture, paymentFixture } from './fixtures.ts';
import { closeApp, orderState, xenditApp, xenditOrder } from './xendit-fixtures.ts';
import { STUB_SECRET_KEY, XenditStub } from './xendit-stub.ts';

const stub = new XenditStub();
let app: TestContext;
let f: PaymentFixture;
let gatewayCalls = 0;
const logged: string[] = [];

const handler = paymentExpiryHandler(() => {
  gatewayCalls++;
  return new XenditPayments({ secretKey: STUB_SECRET_KEY, baseUrl: stub.url, timeoutMs: 1000 });
});

beforeAll(async () => {
  await stub.start();
  app = await xenditApp(stub);
  f = await paymentFixture(await createTenant('Kedaluwarsa'));
});
afterAll(async () => {
  await closeApp(app);
  await stub.stop();
});
beforeEach(() => {
  stub.failure = null;
  gatewayCalls = 0;
  logged.length = 0;
});

/** Runs the `payments.expire` job for the order as the worker would. */
async function runExpiry(orderId: string, payload?: unknown): Promise<void> {
  const job: ClaimedJob = { id: 1, kind: PAYMENT_EXPIRY_JOB, payload: null, attempts: 1, max_attempts: 8 };
  const log = (message?: string) => logged.push(message ?? '');
  const context: JobContext = {
    job,
    db: app.database.db,
    signal: new AbortController().signal,
    logger: { info: (_, m) => log(m), warn: (_, m) => log(m), error: (_, m) => log(m) },
  };
  await handler(payload ?? { business_id: f.tenant.business.id, order_id: orderId }, context);
}

const past = () => new Date(Date.now() - 60_000);
const stock = () => stockOf(f.tenant, f.warehouseId, f.variantId);

/** Moves the order's payment deadline into the past, as time passing would. */
async function lapse(orderId: string): Promise<void> {
  await app.database.db
    .updateTable('orders')
    .set({ payment_expiration_at: past() })
    .where('id', '=', orderId)
    .execute();
}

describe('payments.expire job', () => {
  it('cancels an unpaid bank transfer past its deadline and puts its stock back', async () => {
    const before = await stock();
    const order = await f.order('bank_transfer', { paymentExpiresAt: past() });
    expect(await stock()).toBe(before - 1);
    await runExpiry(order.id);
    const state = await orderState(app, order.id);
    expect(state).toMatchObject({
      status: 'canceled',
      payment_status: 'unpaid',
      canceled_time: expect.any(Date),
    });
    expect(state.history.at(-1)).toEqual({ kind: 'status', status: 'canceled', actor: 'system' });
    expect(await stock()).toBe(before);
    expect(logged).toEqual(['payment expiry handled']);
    // Running again (a duplicate job) changes nothing and returns no stock twice.
    await runExpiry(order.id);
    expect(await orderState(app, order.id)).toEqual(state);
    expect(await stock()).toBe(before);
  });

  it('leaves an order alone before its deadline', async () => {
    const order = await f.order('bank_transfer', { paymentExpiresAt: new Date(Date.now() + 3_600_000) });
    const reserved = await stock();
    await runExpiry(order.id);
    expect(await orderState(app, order.id)).toMatchObject({ status: 'pending', canceled_time: null });
    expect(await stock()).toBe(reserved);
  });

  it('never cancels a paid or COD order', async () => {
    const cod = await f.order('cod', { paymentExpiresAt: past() });
    const paid = await f.order('bank_transfer', { paymentExpiresAt: past() });
    await app.database.db
      .updateTable('orders')
      .set({ payment_status: 'paid' })
      .where('id', '=', paid.id)
      .execute();
    const reserved = await stock();
    for (const order of [cod, paid]) {
      await runExpiry(order.id);
      expect((await orderState(app, order.id)).status).toBe('pending');
    }
    expect(await stock()).toBe(reserved);
    expect(logged).toEqual([]);
  });

  it('cancels an e-payment order and closes its sandbox payment', async () => {
    const order = await f.order('qris');
    expect((await f.pay(order.secret_slug)).statusCode).toBe(200);
    const reserved = await stock();
    await lapse(order.id);
    await runExpiry(order.id);
    const state = await orderState(app, order.id);
    expect(state.status).toBe('canceled');
    expect(state.attempts).toEqual([{ status: 'expired', paid_amount: null }]);
    expect(await stock()).toBe(reserved + 1);
    expect(gatewayCalls).toBe(0);
  });

  it('asks Xendit first and pays the order a lost callback would have paid', async () => {
    for (const [method, status] of [
      ['va', 'SUCCEEDED'],
      ['card', 'PAID'],
    ] as const) {
      const order = await xenditOrder(f, app, method);
      stub.setStatus(order.xenditId, status);
      await lapse(order.id);
      const reserved = await stock();
      const asked = stub.requestsTo('GET', '/').length;
      await runExpiry(order.id);
      expect(stub.requestsTo('GET', '/').at(-1)?.path).toMatch(new RegExp(`/${order.xenditId}$`));
      expect(stub.requestsTo('GET', '/')).toHaveLength(asked + 1);
      const state = await orderState(app, order.id);
      expect(state).toMatchObject({ status: 'pending', payment_status: 'paid', canceled_time: null });
      expect(state.attempts).toEqual([{ status: 'paid', paid_amount: '150000.00' }]);
      expect(await stock()).toBe(reserved);
    }
  });

  it('cancels a Xendit order still unpaid at the gateway, and retries later when Xendit is down', async () => {
    const order = await xenditOrder(f, app, 'dana');
    const asks = () => stub.requestsTo('GET', `/payment_requests/${order.xenditId}`).length;
    await lapse(order.id);
    stub.failure = { status: 503 };
    await expect(runExpiry(order.id)).rejects.toThrow(/Xendit 503/);
    expect(await orderState(app, order.id)).toMatchObject({ status: 'pending', payment_status: 'unpaid' });
    stub.failure = null;
    await runExpiry(order.id);
    const state = await orderState(app, order.id);
    expect(state.status).toBe('canceled');
    expect(state.attempts).toEqual([{ status: 'expired', paid_amount: null }]);
    expect(asks()).toBe(2);
  });

  it('ignores a job without its order', async () => {
    await runExpiry('', { order_id: 'x' });
    expect(logged).toEqual(['payments.expire job without business_id/order_id']);
  });
});
