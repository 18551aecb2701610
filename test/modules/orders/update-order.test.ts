import { describe, expect, it } from 'vitest';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { draftFor, moveOrderThrough, placeOrder, stockOf, variantLine } from './fixtures.ts';

/** A pending bank-transfer order of 2 stocked units (Rp150.000 each) from warehouse A; B holds 5 more. */
async function setUp() {
  const tenant = await createTenant('Ubah');
  const product = await insertProduct(tenant, { isInventory: true });
  const variant = product.variants[0]!;
  const first = await insertWarehouse(tenant, 'A');
  const second = await insertWarehouse(tenant, 'B');
  await setStock(tenant, first.id, variant.id, 3);
  await setStock(tenant, second.id, variant.id, 5);
  const db = tenant.ctx.database.db;
  const order = await placeOrder(db, draftFor(tenant, [variantLine(variant, 2)], { warehouseId: first.id }));
  const warehouses = await db
    .selectFrom('warehouses')
    .select(['id', 'unique_id'])
    .where('id', 'in', [first.id, second.id])
    .orderBy('id')
    .execute();
  const stock = async () => [
    await stockOf(tenant, first.id, variant.id),
    await stockOf(tenant, second.id, variant.id),
  ];
  return { tenant, order, warehouses, stock, db };
}

describe('updateOrder', () => {
  it('changes only the fields sent, and the totals follow the amounts', async () => {
    const { tenant, order } = await setUp();
    const response = await tenant.request('PATCH', `/v3/orders/${order.id}`, {
      body: {
        customer_name: 'Budi Baru',
        customer_phone: '0899 1234',
        address: 'Jl. Braga No. 5',
        location_id: 317105,
        notes: 'Titip satpam',
        shipping_cost: 19000,
        product_discount: 10000,
        other_income: 2500,
        other_income_name: 'Biaya bungkus',
        is_dropshipping: true,
        dropshipper_name: 'Toko Teman',
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json();
    expect(updated).toMatchObject({
      customer: { name: 'Budi Baru', phone: '0899 1234', email: expect.stringMatching(/@example\.test$/) },
      destination_address: { address: 'Jl. Braga No. 5', location_id: 317105 },
      notes: 'Titip satpam',
      product_price: '300000.00',
      product_discount: '10000.00',
      shipping_cost: '19000.00',
      other_income: '2500.00',
      other_income_name: 'Biaya bungkus',
      // 300000 − 10000 + 19000 + 2500
      gross_revenue: '311500.00',
      net_revenue: '290000.00',
      is_dropshipping: true,
      dropshipper_name: 'Toko Teman',
      last_updated_by: { id: tenant.owner.id },
    });
    expect(updated.destination_address.city).toBeTruthy();
    // Nothing sent, nothing changed.
    const same = (await tenant.request('PATCH', `/v3/orders/${order.id}`, { body: {} })).json();
    expect(same.gross_revenue).toBe('311500.00');
  });

  it('moves the order’s stock to another warehouse, and back, before shipment only', async () => {
    const { tenant, order, warehouses, stock, db } = await setUp();
    expect(await stock()).toEqual([1, 5]);
    const moved = await tenant.request('PATCH', `/v3/orders/${order.id}`, {
      body: { warehouse_unique_id: warehouses[1]!.unique_id },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().warehouse.id).toBe(warehouses[1]!.id);
    expect(await stock()).toEqual([3, 3]);
    await tenant.request('PATCH', `/v3/orders/${order.id}`, {
      body: { warehouse_unique_id: warehouses[0]!.unique_id },
    });
    expect(await stock()).toEqual([1, 5]);
    // Canceling gives the stock back once, wherever it was taken.
    await moveOrderThrough(db, tenant.business.id, order.id, { status: 'canceled', actor: 'business' });
    expect(await stock()).toEqual([3, 5]);
    const late = await tenant.request('PATCH', `/v3/orders/${order.id}`, {
      body: { warehouse_unique_id: warehouses[1]!.unique_id },
    });
    expect(late.statusCode).toBe(409);
    expect(await stock()).toEqual([3, 5]);
  });

  it('refuses a warehouse without the stock, changing nothing', async () => {
    const { tenant, order, stock, db } = await setUp();
    const empty = await insertWarehouse(tenant, 'Kosong');
    const uniqueId = (
      await db
        .selectFrom('warehouses')
        .select('unique_id')
        .where('id', '=', empty.id)
        .executeTakeFirstOrThrow()
    ).unique_id;
    const response = await tenant.request('PATCH', `/v3/orders/${order.id}`, {
      body: { warehouse_unique_id: uniqueId },
    });
    expect(response.statusCode).toBe(409);
    expect(await stock()).toEqual([1, 5]);
  });

  it('keeps amounts and items fixed once paid', async () => {
    const { tenant, order, db } = await setUp();
    await moveOrderThrough(db, tenant.business.id, order.id, { paymentStatus: 'paid', actor: 'business' });
    const paid = await tenant.request('PATCH', `/v3/orders/${order.id}`, { body: { shipping_cost: 1 } });
    expect(paid.statusCode).toBe(409);
    expect(paid.json().message).toMatch(/paid/);
    // Other fields still change on a paid order.
    expect(
      (await tenant.request('PATCH', `/v3/orders/${order.id}`, { body: { notes: 'ok' } })).statusCode,
    ).toBe(200);
    const items = await tenant.request('PATCH', `/v3/orders/${order.id}`, {
      body: { ordervariants: [{ variant_unique_id: 'x', quantity: 1 }] },
    });
    expect(items.statusCode).toBe(409);
    expect(items.json().message).toMatch(/items.*paid/);
  });

  it('refuses bad input with 422 naming the field, another business’s order with 404, and needs order:update', async () => {
    const { tenant, order } = await setUp();
    const other = await setUp();
    for (const [body, field] of [
      [{ location_id: 99999999 }, 'location_id'],
      [{ warehouse_unique_id: other.warehouses[0]!.unique_id }, 'warehouse_unique_id'],
      [{ page_unique_id: 'page_nope' }, 'page_unique_id'],
      [{ product_discount: 400000 }, 'product_discount'],
      [{ customer_name: '  ' }, 'customer_name'],
      [{ courier_service_id: 2_000_000_000 }, 'courier_service_id'],
      [{ shipping_cost: -1 }, 'shipping_cost'],
      [{ payment_method: 'cash' }, 'payment_method'],
    ] as const) {
      const response = await tenant.request('PATCH', `/v3/orders/${order.id}`, { body });
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(Object.keys(response.json().errors), JSON.stringify(body)).toContain(field);
    }
    expect(
      (await tenant.request('PATCH', `/v3/orders/${other.order.id}`, { body: { notes: 'x' } })).statusCode,
    ).toBe(404);
    const key = await tenant.restrictedKey(['order:read']);
    expect(
      (await tenant.request('PATCH', `/v3/orders/${order.id}`, { body: { notes: 'x' }, key })).statusCode,
    ).toBe(403);
  });
});
