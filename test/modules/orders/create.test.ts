import { describe, expect, it } from 'vitest';
import { OutOfStockError } from '../../../src/modules/orders/create.ts';
import {
  jakartaDatePrefix,
  ORDER_NUMBER_PATTERN,
  SECRET_SLUG_PATTERN,
} from '../../../src/modules/orders/identifiers.ts';
import { planAllocation } from '../../../src/modules/orders/stock.ts';
import { insertBundle, insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, stockOf, variantLine } from './fixtures.ts';

describe('createOrder', () => {
  it('stores the order, its lines and the first history entries', async () => {
    const tenant = await createTenant();
    const db = tenant.ctx.database.db;
    await db
      .updateTable('businesses')
      .set({ tax_rate: '0.11' })
      .where('id', '=', tenant.business.id)
      .execute();
    const product = await insertProduct(tenant, {
      name: 'Kaos Polos',
      isInventory: true,
      variants: [{ price: '111000', sku: 'KP-M', option1_value: 'M' }],
    });
    const variant = product.variants[0]!;
    await db
      .updateTable('variants')
      .set({ cogs: '40000.50', cogs_bt: '36036.49' })
      .where('id', '=', variant.id)
      .execute();
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, variant.id, 10);

    const draft = draftFor(tenant, [variantLine(variant, 2, { name: 'Kaos Polos - M' })], {
      warehouseId: warehouse.id,
      notes: 'Tolong dibungkus rapi',
      paymentExpiresAt: new Date('2030-01-02T03:04:05.000Z'),
      paymentAccount: { bank: 'BCA', account_number: '1234567890', account_holder: 'Toko Test' },
    });
    const before = jakartaDatePrefix(new Date());
    const created = await placeOrder(db, draft);

    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.order_id).toMatch(ORDER_NUMBER_PATTERN);
    expect([before, jakartaDatePrefix(new Date())]).toContain(created.order_id.slice(0, 6));
    expect(created.secret_slug).toMatch(SECRET_SLUG_PATTERN);

    const order = await db
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      business_id: tenant.business.id,
      store_id: tenant.store.id,
      order_id: created.order_id,
      secret_slug: created.secret_slug,
      source: 'storefront',
      status: 'pending',
      payment_status: 'unpaid',
      confirmed_time: null,
      paid_time: null,
      customer_name: 'Budi Santoso',
      customer_email: draft.customer.email.toLowerCase(),
      shipping_location_id: 317105,
      payment_method: 'bank_transfer',
      payment_account_bank: 'BCA',
      payment_account_number: '1234567890',
      warehouse_id: warehouse.id,
      total_quantity: 2,
      product_weight: 1000,
      tax_rate: '0.1100',
      product_price: '222000.00',
      product_price_bt: '200000.00',
      gross_revenue: '222000.00',
      cogs: '80001.00',
      cogs_bt: '72072.98',
      notes: 'Tolong dibungkus rapi',
    });
    expect(order.pending_time).toBeInstanceOf(Date);
    expect(order.draft_time).toEqual(order.pending_time);
    expect(order.payment_expiration_at?.toISOString()).toBe('2030-01-02T03:04:05.000Z');

    const lines = await db.selectFrom('orderlines').selectAll().where('order_id', '=', created.id).execute();
    expect(lines).toEqual([
      expect.objectContaining({
        position: 0,
        variant_id: variant.id,
        bundle_price_option_id: null,
        name: 'Kaos Polos - M',
        product_name: 'Kaos Polos',
        variant_unique_id: variant.unique_id,
        sku: 'KP-M',
        variant_option1_value: 'M',
        quantity: 2,
        unit_price: '111000.00',
        unit_price_bt: '100000.00',
        product_price: '222000.00',
        weight: 500,
        is_inventory: true,
        cogs: '80001.00',
        components: [{ variant_id: variant.id, quantity: 1, is_inventory: true }],
      }),
    ]);

    const history = await db
      .selectFrom('order_status_histories')
      .select(['kind', 'status', 'actor'])
      .where('order_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(history).toEqual([
      { kind: 'status', status: 'pending', actor: 'customer' },
      { kind: 'payment_status', status: 'unpaid', actor: 'customer' },
    ]);
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(8);
  });

  it('records confirmed orders with their confirmed time', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant, { isInventory: false });
    const draft = draftFor(tenant, [variantLine(product.variants[0]!, 1, { isInventory: false })], {
      initialStatus: 'confirmed',
      source: 'business',
      actorUserId: tenant.owner.id,
    });
    const created = await placeOrder(tenant.ctx.database.db, draft);
    const order = await tenant.ctx.database.db
      .selectFrom('orders')
      .select(['status', 'pending_time', 'confirmed_time'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(order.status).toBe('confirmed');
    expect(order.pending_time).toBeNull();
    expect(order.confirmed_time).toBeInstanceOf(Date);
    const history = await tenant.ctx.database.db
      .selectFrom('order_status_histories')
      .select(['status', 'actor', 'actor_user_id'])
      .where('order_id', '=', created.id)
      .where('kind', '=', 'status')
      .execute();
    expect(history).toEqual([{ status: 'confirmed', actor: 'business', actor_user_id: tenant.owner.id }]);
  });

  it('gives every order a distinct order number and slug', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant);
    const db = tenant.ctx.database.db;
    const created = [];
    for (let i = 0; i < 20; i++) {
      created.push(
        await placeOrder(
          db,
          draftFor(tenant, [variantLine(product.variants[0]!, 1, { isInventory: false })]),
        ),
      );
    }
    expect(new Set(created.map((c) => c.order_id)).size).toBe(20);
    expect(new Set(created.map((c) => c.secret_slug)).size).toBe(20);
    expect(new Set(created.map((c) => c.id)).size).toBe(20);
    // UUIDv7: later orders sort later.
    expect([...created.map((c) => c.id)].sort()).toEqual(created.map((c) => c.id));
  });

  it('takes stock from the order warehouse only', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant, { isInventory: true });
    const variant = product.variants[0]!;
    const first = await insertWarehouse(tenant, 'Gudang A');
    const second = await insertWarehouse(tenant, 'Gudang B');
    await setStock(tenant, first.id, variant.id, 5);
    await setStock(tenant, second.id, variant.id, 2);
    const db = tenant.ctx.database.db;

    await placeOrder(db, draftFor(tenant, [variantLine(variant, 2)], { warehouseId: second.id }));
    expect(await stockOf(tenant, first.id, variant.id)).toBe(5);
    expect(await stockOf(tenant, second.id, variant.id)).toBe(0);

    // Gudang B is empty now; Gudang A's stock does not count for an order shipped from B.
    await expect(
      placeOrder(db, draftFor(tenant, [variantLine(variant, 1)], { warehouseId: second.id })),
    ).rejects.toBeInstanceOf(OutOfStockError);
    expect(await stockOf(tenant, first.id, variant.id)).toBe(5);
  });

  it('without a warehouse prefers one that covers the line alone, else splits and records where', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant, { isInventory: true });
    const variant = product.variants[0]!;
    const first = await insertWarehouse(tenant, 'Gudang A');
    const second = await insertWarehouse(tenant, 'Gudang B');
    await setStock(tenant, first.id, variant.id, 3);
    await setStock(tenant, second.id, variant.id, 6);
    const db = tenant.ctx.database.db;

    const whole = await placeOrder(db, draftFor(tenant, [variantLine(variant, 4)]));
    expect(await stockOf(tenant, first.id, variant.id)).toBe(3);
    expect(await stockOf(tenant, second.id, variant.id)).toBe(2);

    const split = await placeOrder(db, draftFor(tenant, [variantLine(variant, 4)]));
    expect(await stockOf(tenant, first.id, variant.id)).toBe(0);
    expect(await stockOf(tenant, second.id, variant.id)).toBe(1);

    const allocations = await db
      .selectFrom('order_stock_allocations')
      .select(['order_id', 'warehouse_id', 'quantity'])
      .where('order_id', 'in', [whole.id, split.id])
      .orderBy('order_id')
      .orderBy('warehouse_id')
      .execute();
    expect(allocations).toEqual([
      { order_id: whole.id, warehouse_id: second.id, quantity: 4 },
      { order_id: split.id, warehouse_id: first.id, quantity: 3 },
      { order_id: split.id, warehouse_id: second.id, quantity: 1 },
    ]);
  });

  it('ignores inactive warehouses when none is given', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant, { isInventory: true });
    const variant = product.variants[0]!;
    const closed = await insertWarehouse(tenant, 'Tutup');
    await setStock(tenant, closed.id, variant.id, 10);
    await tenant.ctx.database.db
      .updateTable('warehouses')
      .set({ is_active: false })
      .where('id', '=', closed.id)
      .execute();
    await expect(
      placeOrder(tenant.ctx.database.db, draftFor(tenant, [variantLine(variant, 1)])),
    ).rejects.toBeInstanceOf(OutOfStockError);
    expect(await stockOf(tenant, closed.id, variant.id)).toBe(10);
  });

  it('consumes a bundle line as its components times the quantity', async () => {
    const tenant = await createTenant();
    const shirt = await insertProduct(tenant, { isInventory: true });
    const ebook = await insertProduct(tenant, { itemType: 'digital', isInventory: false });
    const shirtVariant = shirt.variants[0]!;
    const ebookVariant = ebook.variants[0]!;
    const db = tenant.ctx.database.db;
    await db
      .updateTable('variants')
      .set({ cogs: '30000', cogs_bt: '30000' })
      .where('id', '=', shirtVariant.id)
      .execute();
    await db
      .updateTable('variants')
      .set({ cogs: '1000', cogs_bt: '1000' })
      .where('id', '=', ebookVariant.id)
      .execute();
    const bundle = await insertBundle(
      tenant,
      [
        { variantId: shirtVariant.id, quantity: 2 },
        { variantId: ebookVariant.id, quantity: 1 },
      ],
      [{ name: 'Paket Hemat', price: '250000' }],
    );
    const option = bundle.priceOptions[0]!;
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, shirtVariant.id, 7);

    const created = await placeOrder(
      db,
      draftFor(tenant, [
        {
          variant_id: null,
          bundle_price_option_id: option.id,
          name: 'Paket Hemat',
          unit_price: '250000',
          quantity: 3,
          weight_grams: 1200,
          item_type: 'physical',
          stock: [
            { variant_id: shirtVariant.id, quantity: 2, is_inventory: true },
            { variant_id: ebookVariant.id, quantity: 1, is_inventory: false },
          ],
        },
      ]),
    );
    expect(await stockOf(tenant, warehouse.id, shirtVariant.id)).toBe(1);
    const line = await db
      .selectFrom('orderlines')
      .selectAll()
      .where('order_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(line).toMatchObject({
      variant_id: null,
      bundle_price_option_id: option.id,
      bundle_price_option_unique_id: option.unique_id,
      product_price: '750000.00',
      is_inventory: true,
      cogs: '183000.00',
    });

    // One more bundle needs 2 shirts; only 1 is left.
    const error = await placeOrder(
      db,
      draftFor(tenant, [
        {
          variant_id: null,
          bundle_price_option_id: option.id,
          name: 'Paket Hemat',
          unit_price: '250000',
          quantity: 1,
          weight_grams: 1200,
          item_type: 'physical',
          stock: [{ variant_id: shirtVariant.id, quantity: 2, is_inventory: true }],
        },
      ]),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).names).toEqual(['Paket Hemat']);
  });

  it('never touches stock of items that do not track inventory', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant, { isInventory: false });
    const variant = product.variants[0]!;
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, variant.id, 0);
    const created = await placeOrder(
      tenant.ctx.database.db,
      draftFor(tenant, [variantLine(variant, 5, { isInventory: false })]),
    );
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(0);
    const allocations = await tenant.ctx.database.db
      .selectFrom('order_stock_allocations')
      .select('variant_id')
      .where('order_id', '=', created.id)
      .execute();
    expect(allocations).toEqual([]);
  });

  it('names every sold-out item and leaves nothing behind', async () => {
    const tenant = await createTenant();
    const a = await insertProduct(tenant, { isInventory: true });
    const b = await insertProduct(tenant, { isInventory: true });
    const c = await insertProduct(tenant, { isInventory: true });
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, a.variants[0]!.id, 5);
    await setStock(tenant, warehouse.id, b.variants[0]!.id, 1);
    const db = tenant.ctx.database.db;
    const draft = draftFor(tenant, [
      variantLine(a.variants[0]!, 2, { name: 'Produk A' }),
      variantLine(b.variants[0]!, 2, { name: 'Produk B' }),
      variantLine(c.variants[0]!, 1, { name: 'Produk C' }),
    ]);
    const error = await placeOrder(db, draft).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).variantIds.sort()).toEqual(
      [b.variants[0]!.id, c.variants[0]!.id].sort(),
    );
    expect((error as OutOfStockError).names.sort()).toEqual(['Produk B', 'Produk C']);
    expect((error as OutOfStockError).message).toMatch(/Out of stock/);

    // Rolled back: A's reservation was undone and no order rows remain.
    expect(await stockOf(tenant, warehouse.id, a.variants[0]!.id)).toBe(5);
    const orders = await db
      .selectFrom('orders')
      .select('id')
      .where('business_id', '=', tenant.business.id)
      .execute();
    expect(orders).toEqual([]);
  });

  it('from a chosen warehouse short on its second variant: names it and undoes the first take', async () => {
    const tenant = await createTenant();
    // Created first, so it has the lower id: its take runs in the order's insert statement and the
    // second variant's take is the conditional decrement in reserveStock.
    const a = await insertProduct(tenant, { isInventory: true });
    const b = await insertProduct(tenant, { isInventory: true });
    const first = a.variants[0]!;
    const second = b.variants[0]!;
    expect(first.id).toBeLessThan(second.id);
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, first.id, 5);
    await setStock(tenant, warehouse.id, second.id, 1);
    const db = tenant.ctx.database.db;
    const draft = draftFor(
      tenant,
      [variantLine(first, 2, { name: 'Produk A' }), variantLine(second, 3, { name: 'Produk B' })],
      { warehouseId: warehouse.id },
    );

    const error = await placeOrder(db, draft).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).variantIds).toEqual([second.id]);
    expect((error as OutOfStockError).names).toEqual(['Produk B']);
    expect(await stockOf(tenant, warehouse.id, first.id)).toBe(5);
    expect(await stockOf(tenant, warehouse.id, second.id)).toBe(1);
    const written = await db
      .selectFrom('orders')
      .select('id')
      .where('business_id', '=', tenant.business.id)
      .execute();
    expect(written).toEqual([]);
  });

  it('refuses variants of another business', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const foreign = await insertProduct(other);
    await expect(
      placeOrder(
        tenant.ctx.database.db,
        draftFor(tenant, [variantLine(foreign.variants[0]!, 1, { isInventory: false })]),
      ),
    ).rejects.toThrow(/not in business/);
  });
});

describe('planAllocation', () => {
  const rows = [
    { warehouse_id: 1, qty: 2 },
    { warehouse_id: 2, qty: 5 },
    { warehouse_id: 3, qty: 4 },
  ];
  it('uses the first warehouse that covers everything', () => {
    expect(planAllocation(rows, 4)).toEqual([{ warehouseId: 2, quantity: 4 }]);
  });
  it('splits in warehouse order when none does', () => {
    expect(planAllocation(rows, 8)).toEqual([
      { warehouseId: 1, quantity: 2 },
      { warehouseId: 2, quantity: 5 },
      { warehouseId: 3, quantity: 1 },
    ]);
  });
  it('gives up when all together are short', () => {
    expect(planAllocation(rows, 12)).toBeNull();
  });
});

describe('order identifiers', () => {
  it('dates order numbers in Asia/Jakarta', () => {
    expect(jakartaDatePrefix(new Date('2025-01-29T16:59:59Z'))).toBe('250129');
    expect(jakartaDatePrefix(new Date('2025-01-29T17:00:00Z'))).toBe('250130');
  });
});
