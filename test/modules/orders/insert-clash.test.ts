import type { Insertable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src/lib/ids.ts';
import { newSecretSlug } from '../../../src/modules/orders/identifiers.ts';
import { insertOrderUnlessTaken } from '../../../src/modules/orders/queries.ts';
import type { OrdersTable } from '../../../src/modules/orders/tables.ts';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, stockOf, variantLine } from './fixtures.ts';

/**
 * The order's one insert statement (order, lines, history, customer, first stock take) writes
 * nothing but the idempotent customer upsert when its order number is already taken, so
 * `createOrder` can retry with a new number.
 */
describe('insertOrderUnlessTaken', () => {
  it('writes no order, lines, history or stock take when the order number is taken', async () => {
    const tenant = await createTenant();
    const db = tenant.ctx.database.db;
    const product = await insertProduct(tenant, {
      name: 'Kaos',
      isInventory: true,
      variants: [{ price: '50000' }],
    });
    const variant = product.variants[0]!;
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, variant.id, 10);
    const first = await placeOrder(
      db,
      draftFor(tenant, [variantLine(variant, 1)], { warehouseId: warehouse.id }),
    );
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(9);

    const { id: _id, ...row } = first.row;
    const clashId = uuidv7();
    const counts = async () => ({
      orders: (await db.selectFrom('orders').select('id').where('id', '=', clashId).execute()).length,
      lines: (await db.selectFrom('orderlines').select('id').where('order_id', '=', clashId).execute())
        .length,
      history: (
        await db.selectFrom('order_status_histories').select('id').where('order_id', '=', clashId).execute()
      ).length,
    });
    const result = await db.transaction().execute((trx) =>
      insertOrderUnlessTaken(trx, {
        // The first order's stored row, under a new id and slug but the same order number. Its JSON
        // columns are objects here (the drivers serialize them), hence the cast.
        order: { ...row, id: clashId, secret_slug: newSecretSlug() } as unknown as Insertable<OrdersTable>,
        customer: {
          businessId: tenant.business.id,
          storeId: tenant.store.id,
          name: 'Budi',
          email: row.customer_email ?? 'budi@example.test',
          phone: null,
        },
        lines: first.lines.map(({ id: _line, ...line }) => ({ ...line, order_id: clashId })),
        actor: 'customer',
        actorUserId: null,
        stockTake: { variantId: variant.id, warehouseId: warehouse.id, quantity: 3 },
      }),
    );
    expect(result).toBeUndefined();
    expect(await counts()).toEqual({ orders: 0, lines: 0, history: 0 });
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(9);
  });
});
