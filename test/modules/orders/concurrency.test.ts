import { describe, expect, it } from 'vitest';
import { OutOfStockError } from '../../../src/modules/orders/create.ts';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, stockOf, variantLine } from './fixtures.ts';

/**
 * The oversell test at the service level: on PostgreSQL (DATABASE_URL) the 200 transactions
 * really race over the pool; on PGlite they are serialized by its single session but must still
 * give the same answer.
 */
describe('concurrent checkouts of one variant', () => {
  it('200 buyers, 50 in stock: exactly 50 orders, stock 0, 150 out-of-stock answers', {
    timeout: 120_000,
  }, async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant, { isInventory: true, name: 'Edisi Terbatas' });
    const variant = product.variants[0]!;
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, variant.id, 50);
    const db = tenant.ctx.database.db;

    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        placeOrder(
          db,
          draftFor(tenant, [variantLine(variant, 1, { name: 'Edisi Terbatas' })], {
            // Half name the warehouse (conditional UPDATE), half let it be found (FOR UPDATE).
            warehouseId: i % 2 === 0 ? warehouse.id : null,
          }),
        ),
      ),
    );

    const created = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(created).toHaveLength(50);
    expect(rejected).toHaveLength(150);
    for (const failure of rejected) {
      expect(failure.reason).toBeInstanceOf(OutOfStockError);
      expect((failure.reason as OutOfStockError).names).toEqual(['Edisi Terbatas']);
    }
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(0);

    const orders = await db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('business_id', '=', tenant.business.id)
      .executeTakeFirstOrThrow();
    expect(Number(orders.count)).toBe(50);
    const allocated = await db
      .selectFrom('order_stock_allocations')
      .select((eb) => eb.fn.sum<string>('quantity').as('units'))
      .where('business_id', '=', tenant.business.id)
      .executeTakeFirstOrThrow();
    expect(Number(allocated.units)).toBe(50);
  });

  it('two variants locked in opposite line order never deadlock', { timeout: 60_000 }, async () => {
    const tenant = await createTenant();
    const a = await insertProduct(tenant, { isInventory: true });
    const b = await insertProduct(tenant, { isInventory: true });
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, a.variants[0]!.id, 30);
    await setStock(tenant, warehouse.id, b.variants[0]!.id, 30);
    const db = tenant.ctx.database.db;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => {
        const lines = [variantLine(a.variants[0]!, 1), variantLine(b.variants[0]!, 1)];
        return placeOrder(
          db,
          draftFor(tenant, i % 2 === 0 ? lines : lines.reverse(), { warehouseId: warehouse.id }),
        );
      }),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failures.every((f) => f.reason instanceof OutOfStockError)).toBe(true);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
    expect(await stockOf(tenant, warehouse.id, a.variants[0]!.id)).toBe(0);
    expect(await stockOf(tenant, warehouse.id, b.variants[0]!.id)).toBe(0);
  });
});
