import { beforeAll, describe, expect, it } from 'vitest';
import {
  attachProductToStore,
  type FixtureProduct,
  insertProduct,
  insertWarehouse,
  setStock,
} from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { type CheckoutShop, checkoutShop, stockOf } from '../checkout/fixtures.ts';
import { eventsOf, orderBody, subscribeAll } from './create-fixtures.ts';
import { moveOrderThrough } from './fixtures.ts';

let shop: CheckoutShop;
let hat: FixtureProduct;

beforeAll(async () => {
  shop = await checkoutShop({ name: 'Toko Ganti' });
  hat = await insertProduct(shop.tenant, {
    name: 'Topi',
    isInventory: true,
    variants: [{ price: '45000', weight: 200 }],
  });
  await attachProductToStore(shop.tenant, hat.id);
  await setStock(shop.tenant, shop.warehouse.id, hat.variants[0]!.id, 50);
  await subscribeAll(shop.tenant);
});

/** Manual amounts an order keeps through an item change; COD, so no unique code differs. */
const MANUAL = {
  shipping_cost: 19000,
  shipping_discount: 4000,
  product_discount: 10000,
  other_income: 2500,
  other_income_name: 'Packing',
  payment_method: 'cod',
};

const shirtId = () => shop.shirt.variants[0]!.id;
const hatId = () => hat.variants[0]!.id;
const shirts = (quantity: number) => ({ variant_unique_id: shop.shirt.variants[0]!.unique_id, quantity });
const hats = (quantity: number) => ({ variant_unique_id: hat.variants[0]!.unique_id, quantity });
const stock = async () => [
  await stockOf(shop.tenant, shop.warehouse.id, shirtId()),
  await stockOf(shop.tenant, shop.warehouse.id, hatId()),
];

/** A pending order of two shirts with the manual amounts. */
async function placed(overrides: Record<string, unknown> = {}) {
  const response = await shop.tenant.request('POST', '/v3/orders', {
    body: orderBody(shop, { ...MANUAL, ...overrides }),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const patch = (id: string, body: unknown, key?: string) =>
  shop.tenant.request('PATCH', `/v3/orders/${id}`, { body, ...(key ? { key } : {}) });

const AMOUNT_FIELDS = [
  'product_price',
  'product_price_bt',
  'product_discount',
  'shipping_cost',
  'shipping_discount',
  'discount_code_discount',
  'unique_code_discount',
  'other_income',
  'other_income_bt',
  'other_income_name',
  'payment_fee',
  'gross_revenue',
  'net_revenue',
  'cogs',
  'cogs_bt',
  'total_quantity',
  'product_weight',
  'variants',
  'bundle_price_options',
] as const;

/** What createOrder would store for the same items: the lines (ids aside) and the amounts. */
function pricedAs(order: Record<string, unknown>) {
  return {
    lines: (order.orderlines as Array<Record<string, unknown>>).map(({ id: _id, ...line }) => line),
    amounts: Object.fromEntries(AMOUNT_FIELDS.map((field) => [field, order[field]])),
  };
}

/** The order's allocations not given back, as variant:quantity. */
async function heldBy(orderId: string) {
  const rows = await shop.tenant.ctx.database.db
    .selectFrom('order_stock_allocations')
    .select(['variant_id', 'quantity'])
    .where('order_id', '=', orderId)
    .where('released_at', 'is', null)
    .orderBy('variant_id')
    .execute();
  return rows.map((row) => `${row.variant_id}:${row.quantity}`);
}

describe('updateOrder items', () => {
  it('replaces the items, priced and stocked as createOrder would, and emits order.updated', async () => {
    const order = await placed();
    const before = await stock();
    const items = { ordervariants: [hats(3), shirts(1)] };
    const response = await patch(order.id, items);
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json();
    // Two shirts back, one taken; three hats taken.
    expect(await stock()).toEqual([before[0]! + 1, before[1]! - 3]);
    expect(await heldBy(order.id)).toEqual([`${shirtId()}:1`, `${hatId()}:3`].sort());
    const reference = await placed(items);
    expect(pricedAs(updated)).toEqual(pricedAs(reference));
    expect(updated).toMatchObject({
      product_price: '285000.00',
      total_quantity: 4,
      // 285000 − 10000 + 19000 − 4000 + 2500
      gross_revenue: '292500.00',
      last_updated_by: { id: shop.tenant.owner.id },
    });
    expect(Date.parse(updated.last_updated_at)).toBeGreaterThan(Date.parse(order.last_updated_at));
    expect(await eventsOf(shop.tenant, order.id)).toEqual(['order.created', 'order.updated']);
  });

  it('takes a bundle, both arrays as sent (a missing one is empty)', async () => {
    const order = await placed();
    const before = await stock();
    const response = await patch(order.id, {
      orderbundles: [{ bundle_price_option_unique_id: shop.priceOption.unique_id, quantity: 1 }],
    });
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json();
    expect(updated.orderlines).toHaveLength(1);
    expect(updated.orderlines[0]).toMatchObject({ bundle_price_option: shop.priceOption.id, quantity: 1 });
    expect(updated.product_price).toBe('275000.00');
    // The bundle holds two shirts, as many as the order gave back.
    expect(await stock()).toEqual(before);
    const reference = await placed({
      ordervariants: [],
      orderbundles: [{ bundle_price_option_unique_id: shop.priceOption.unique_id, quantity: 1 }],
    });
    expect(pricedAs(updated)).toEqual(pricedAs(reference));
  });

  it('takes the new items from the warehouse sent with them', async () => {
    const order = await placed();
    const before = await stock();
    const second = await insertWarehouse(shop.tenant, 'Gudang Dua');
    await setStock(shop.tenant, second.id, hatId(), 5);
    const response = await patch(order.id, {
      ordervariants: [hats(2)],
      warehouse_unique_id: second.unique_id,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().warehouse.id).toBe(second.id);
    expect(await stock()).toEqual([before[0]! + 2, before[1]]);
    expect(await stockOf(shop.tenant, second.id, hatId())).toBe(3);
  });

  it('refuses bad items with 422 naming the field, changing nothing', async () => {
    const order = await placed();
    const before = await stock();
    const other = await createTenant('Tetangga');
    const foreign = await insertProduct(other, { isInventory: true });
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { ordervariants: [{ variant_unique_id: 'variant_nope', quantity: 1 }] },
        'ordervariants.0.variant_unique_id',
      ],
      [
        { ordervariants: [shirts(1), { variant_unique_id: foreign.variants[0]!.unique_id, quantity: 1 }] },
        'ordervariants.1.variant_unique_id',
      ],
      [{ ordervariants: [], orderbundles: [] }, 'ordervariants'],
      [{ orderbundles: [] }, 'ordervariants'],
      [{ ordervariants: [shirts(0)] }, 'ordervariants.0.quantity'],
      [{ ordervariants: [hats(1)], product_discount: 50000 }, 'product_discount'],
    ];
    for (const [body, field] of cases) {
      const response = await patch(order.id, body);
      expect(response.statusCode, `${field}: ${response.body}`).toBe(422);
      expect(Object.keys(response.json().errors).join(' '), response.body).toContain(field);
    }
    expect(await stock()).toEqual(before);
    const unchanged = (await shop.tenant.request('GET', `/v3/orders/${order.id}`)).json();
    expect(pricedAs(unchanged)).toEqual(pricedAs(order));
  });

  it('refuses sold-out items with 409, changing nothing', async () => {
    const order = await placed();
    const before = await stock();
    const response = await patch(order.id, { ordervariants: [hats(1), shirts(1000)] });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().errors.items.join(' ')).toContain('out of stock');
    expect(await stock()).toEqual(before);
    expect(await heldBy(order.id)).toEqual([`${shirtId()}:2`]);
    const unchanged = (await shop.tenant.request('GET', `/v3/orders/${order.id}`)).json();
    expect(pricedAs(unchanged)).toEqual(pricedAs(order));
    expect(await eventsOf(shop.tenant, order.id)).toEqual(['order.created']);
  });

  it('refuses paid, packed and discount-coded orders with 409', async () => {
    const db = shop.tenant.ctx.database.db;
    const businessId = shop.tenant.business.id;
    const paid = await placed();
    await moveOrderThrough(db, businessId, paid.id, { paymentStatus: 'paid', actor: 'business' });
    const packed = await placed();
    await moveOrderThrough(
      db,
      businessId,
      packed.id,
      { status: 'confirmed', actor: 'business' },
      { status: 'in_process', actor: 'business' },
    );
    const coded = await placed();
    await db.updateTable('orders').set({ discount_code_code: 'HEMAT' }).where('id', '=', coded.id).execute();
    const before = await stock();
    for (const [order, message] of [
      [paid, /paid/],
      [packed, /in_process/],
      [coded, /HEMAT/],
    ] as const) {
      const response = await patch(order.id, { ordervariants: [hats(1)] });
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json().error_code).toBe('state_conflict');
      expect(response.json().message).toMatch(message);
    }
    expect(await stock()).toEqual(before);
    // Back to confirmed, the packed order's items change again.
    await moveOrderThrough(db, businessId, packed.id, { status: 'confirmed', actor: 'business' });
    expect((await patch(packed.id, { ordervariants: [hats(1)] })).statusCode).toBe(200);
  });

  it('is safe to repeat: the same items move no stock and change nothing', async () => {
    const order = await placed();
    const items = { ordervariants: [hats(2)] };
    const first = (await patch(order.id, items)).json();
    const after = await stock();
    const again = await patch(order.id, items);
    expect(again.statusCode, again.body).toBe(200);
    expect(await stock()).toEqual(after);
    expect(await heldBy(order.id)).toEqual([`${hatId()}:2`]);
    expect(again.json()).toEqual(first);
    expect(await eventsOf(shop.tenant, order.id)).toEqual(['order.created', 'order.updated']);
    // Canceled, the order gives back what it holds once: the two hats, nothing of the old shirts.
    await moveOrderThrough(shop.tenant.ctx.database.db, shop.tenant.business.id, order.id, {
      status: 'canceled',
      actor: 'business',
    });
    expect(await stock()).toEqual([after[0], after[1]! + 2]);
  });

  it('needs order:update, and another business’s order is 404', async () => {
    const order = await placed();
    const key = await shop.tenant.restrictedKey(['order:read']);
    expect((await patch(order.id, { ordervariants: [hats(1)] }, key)).statusCode).toBe(403);
    const other = await createTenant('Lain');
    const foreign = await other.request('PATCH', `/v3/orders/${order.id}`, {
      body: { ordervariants: [hats(1)] },
    });
    expect(foreign.statusCode).toBe(404);
    expect(await heldBy(order.id)).toEqual([`${shirtId()}:2`]);
  });
});
