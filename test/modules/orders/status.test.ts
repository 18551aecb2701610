import { describe, expect, it } from 'vitest';
import { releaseOrderStock } from '../../../src/modules/orders/status.ts';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { draftFor, moveOrderThrough, placeOrder, stockOf, variantLine } from './fixtures.ts';

describe('order status changes', () => {
  it('stamps the time and appends history once per change', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const product = await insertProduct(tenant);
    const db = tenant.ctx.database.db;
    const created = await placeOrder(
      db,
      draftFor(tenant, [variantLine(product.variants[0]!, 1, { isInventory: false })]),
    );
    const paidAt = new Date('2030-01-01T00:00:00.000Z');
    await moveOrderThrough(db, tenant.business.id, created.id, {
      paymentStatus: 'paid',
      actor: 'system',
      at: paidAt,
    });
    // A duplicate callback changes nothing.
    await moveOrderThrough(db, tenant.business.id, created.id, { paymentStatus: 'paid', actor: 'system' });
    // Another business cannot touch it.
    await expect(
      moveOrderThrough(db, other.business.id, created.id, { status: 'canceled', actor: 'business' }),
    ).rejects.toThrow(/no result/i);
    await moveOrderThrough(db, tenant.business.id, created.id, { status: 'confirmed', actor: 'system' });

    const order = await db
      .selectFrom('orders')
      .select(['status', 'payment_status', 'paid_time', 'confirmed_time', 'canceled_time'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      status: 'confirmed',
      payment_status: 'paid',
      paid_time: paidAt,
      canceled_time: null,
    });
    expect(order.confirmed_time).toBeInstanceOf(Date);
    const history = await db
      .selectFrom('order_status_histories')
      .select(['kind', 'status', 'actor'])
      .where('order_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(history).toEqual([
      { kind: 'status', status: 'pending', actor: 'customer' },
      { kind: 'payment_status', status: 'unpaid', actor: 'customer' },
      { kind: 'payment_status', status: 'paid', actor: 'system' },
      { kind: 'status', status: 'confirmed', actor: 'system' },
    ]);
  });

  it('puts reserved stock back exactly once', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant, { isInventory: true });
    const variant = product.variants[0]!;
    const first = await insertWarehouse(tenant, 'A');
    const second = await insertWarehouse(tenant, 'B');
    await setStock(tenant, first.id, variant.id, 2);
    await setStock(tenant, second.id, variant.id, 3);
    const db = tenant.ctx.database.db;
    const created = await placeOrder(db, draftFor(tenant, [variantLine(variant, 4)]));
    expect(await stockOf(tenant, first.id, variant.id)).toBe(0);
    expect(await stockOf(tenant, second.id, variant.id)).toBe(1);

    const restore = () =>
      db.transaction().execute((trx) => releaseOrderStock(trx, tenant.business.id, created.id));
    expect(await restore()).toBe(4);
    expect(await restore()).toBe(0);
    expect(await stockOf(tenant, first.id, variant.id)).toBe(2);
    expect(await stockOf(tenant, second.id, variant.id)).toBe(3);
  });
});
