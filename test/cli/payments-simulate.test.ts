import { beforeAll, describe, expect, it } from 'vitest';
import { runNexus } from '../helpers/cli.ts';
import { createTenant } from '../helpers/tenants.ts';
import { stockOf } from '../modules/orders/fixtures.ts';
import { type PaymentFixture, paymentFixture } from '../modules/payments/fixtures.ts';

const XENDIT_ENV = {
  NEXUS_PAYMENTS_DRIVER: 'xendit',
  XENDIT_SECRET_KEY: 'xnd_development_cli0000000000',
  XENDIT_CALLBACK_TOKEN: 'cli-callback-token',
};

const nexus = (argv: string[], env: Record<string, string> = {}) =>
  runNexus(['payments', 'simulate', ...argv], { env });

async function simulate(...argv: string[]) {
  const res = await nexus([...argv, '--json']);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

let f: PaymentFixture;

beforeAll(async () => {
  f = await paymentFixture(await createTenant('Simulasi'));
});

/** An order whose sandbox payment the storefront created. */
async function paidFor(method: string) {
  const order = await f.order(method);
  const res = await f.pay(order.secret_slug);
  expect(res.statusCode, res.body).toBe(200);
  return { ...order, reference: res.json().pg_payment_info.id as string };
}

async function sandboxStatus(reference: string) {
  const row = await f.tenant.ctx.database.db
    .selectFrom('payment_sandbox_payments')
    .select('status')
    .where('reference_id', '=', reference)
    .executeTakeFirstOrThrow();
  return row.status;
}

const paymentHistory = (orderId: string) =>
  f.tenant.ctx.database.db
    .selectFrom('order_status_histories')
    .select(['status', 'actor'])
    .where('order_id', '=', orderId)
    .where('kind', '=', 'payment_status')
    .orderBy('id')
    .execute();

describe('nexus payments simulate', () => {
  it('pays a sandbox payment once, by order_id', async () => {
    const order = await paidFor('va');
    const result = await simulate('--order', order.order_id, '--paid');
    expect(result).toEqual({
      order: { id: order.id, order_id: order.order_id, status: 'pending', payment_status: 'paid' },
      payment: { reference_id: order.reference, status: 'paid' },
      changed: true,
    });
    expect(await sandboxStatus(order.reference)).toBe('SUCCEEDED');
    const again = await nexus(['--order', order.order_id, '--paid']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(
      `Order ${order.order_id}: status pending, payment paid (unchanged)\nPayment ${order.reference}: paid\n`,
    );
    expect(await paymentHistory(order.id)).toEqual([
      { status: 'unpaid', actor: 'customer' },
      { status: 'paid', actor: 'system' },
    ]);
  });

  it('settles through paid, by secret_slug and by id', async () => {
    const order = await paidFor('qris');
    const settled = await simulate('--order', order.secret_slug, '--settle');
    expect(settled.order.payment_status).toBe('settled');
    expect(settled.payment.status).toBe('settled');
    expect(await sandboxStatus(order.reference)).toBe('SETTLED');
    expect((await simulate('--order', order.id.toUpperCase(), '--settle')).changed).toBe(false);
    expect((await paymentHistory(order.id)).map((h) => h.status)).toEqual(['unpaid', 'paid', 'settled']);
  });

  it('expires an unpaid order, canceling it and returning its stock', async () => {
    const order = await paidFor('alfamart');
    const plain = await f.order('bank_transfer');
    const reserved = await stockOf(f.tenant, f.warehouseId, f.variantId);
    const expired = await simulate(
      '--order',
      order.order_id,
      '--expire',
      '--business',
      f.tenant.business.unique_id,
    );
    expect(expired).toMatchObject({
      order: { status: 'canceled', payment_status: 'unpaid' },
      payment: { reference_id: order.reference, status: 'expired' },
      changed: true,
    });
    expect(await sandboxStatus(order.reference)).toBe('EXPIRED');
    expect(await simulate('--order', plain.order_id, '--expire')).toMatchObject({
      order: { status: 'canceled' },
      payment: null,
      changed: true,
    });
    expect(await stockOf(f.tenant, f.warehouseId, f.variantId)).toBe(reserved + 2);
    expect((await simulate('--order', plain.order_id, '--expire')).changed).toBe(false);
    expect(await stockOf(f.tenant, f.warehouseId, f.variantId)).toBe(reserved + 2);
    // A paid order is not expired.
    const paid = await paidFor('va');
    await simulate('--order', paid.order_id, '--paid');
    expect(await simulate('--order', paid.order_id, '--expire')).toMatchObject({
      order: { status: 'pending', payment_status: 'paid' },
      changed: false,
    });
  });

  it('explains an unknown order, a missing payment and an unknown business', async () => {
    for (const reference of [
      'NOSUCHORDER',
      'a'.repeat(36),
      'abc-'.repeat(9),
      '0192a4c4-0000-7000-8000-000000000000',
    ]) {
      const res = await nexus(['--order', reference, '--paid']);
      expect(res.code, reference).toBe(1);
      expect(res.stderr).toBe(`nexus payments simulate: No order ${reference}\n`);
    }
    const order = await f.order('qris');
    const unpaid = await nexus(['--order', order.order_id, '--paid']);
    expect(unpaid.code).toBe(1);
    expect(unpaid.stderr).toContain(`Order ${order.order_id} has no sandbox payment; create it first`);
    const business = await nexus(['--order', order.order_id, '--paid', '--business', 'NOPE']);
    expect(business.code).toBe(2);
    expect(business.stderr).toContain('No business with id or unique_id NOPE');
  });

  it('refuses with the xendit driver and without exactly one event', async () => {
    const order = await paidFor('va');
    const xendit = await nexus(['--order', order.order_id, '--paid'], XENDIT_ENV);
    expect(xendit.code).toBe(2);
    expect(xendit.stderr).toContain('simulate works with the sandbox only');
    for (const flags of [[], ['--paid', '--settle'], ['--paid', '--expire', '--settle']]) {
      const res = await nexus(['--order', order.order_id, ...flags]);
      expect(res.code, flags.join(' ')).toBe(2);
      expect(res.stderr).toContain('give exactly one of --paid, --settle, --expire');
    }
    const missing = await nexus(['--paid']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--order is required');
    expect(await sandboxStatus(order.reference)).toBe('PENDING');
    expect(await paymentHistory(order.id)).toEqual([{ status: 'unpaid', actor: 'customer' }]);
  });
});
