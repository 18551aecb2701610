import { beforeAll, describe, expect, it } from 'vitest';
import { toCents } from '../../../src/lib/money.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { type CheckoutShop, checkoutShop, orderCount, stockOf } from '../checkout/fixtures.ts';
import { eventsOf, orderBody, subscribeAll } from './create-fixtures.ts';

let shop: CheckoutShop;

beforeAll(async () => {
  shop = await checkoutShop({ name: 'Toko Manual' });
  await subscribeAll(shop.tenant);
});

const create = (body: unknown, options: { key?: string; headers?: Record<string, string> } = {}) =>
  shop.tenant.request('POST', '/v3/orders', { body, ...options });

describe('createOrder', () => {
  it('creates a pending order priced by the engine, reserves its stock and emits order.created', async () => {
    const variantId = shop.shirt.variants[0]!.id;
    const before = await stockOf(shop.tenant, shop.warehouse.id, variantId);
    const response = await create(
      orderBody(shop, {
        tags: ['reseller', 'reseller', ' vip '],
        external_id: 'WA-1001',
        utm_source: 'whatsapp',
        agent_context: { app: 'crm-bot', run: 7 },
        notes: 'Kirim pagi',
      }),
    );
    expect(response.statusCode, response.body).toBe(200);
    const order = response.json();
    expect(order).toMatchObject({
      status: 'pending',
      payment_status: 'unpaid',
      payment_method: 'bank_transfer',
      product_price: '300000.00',
      tags: ['reseller', 'vip'],
      external_id: 'WA-1001',
      utm_source: 'whatsapp',
      agent_context: { app: 'crm-bot', run: 7 },
      notes: 'Kirim pagi',
      platform: 'scalev',
      store: { unique_id: shop.tenant.store.unique_id },
      warehouse: { unique_id: shop.warehouse.unique_id },
      customer: { name: 'Siti Aminah', email: 'siti@example.test' },
      destination_address: { address: 'Jl. Braga No. 10', postal_code: '40111' },
    });
    expect(order.courier_service).toMatchObject({ id: 15 });
    // Shipping quoted by the sandbox from the courier service, as checkout does.
    expect(toCents(order.shipping_cost)).toBeGreaterThan(0n);
    expect(order.status_history).toEqual([
      expect.objectContaining({ status: 'pending', by: shop.tenant.owner.name }),
    ]);
    expect(await stockOf(shop.tenant, shop.warehouse.id, variantId)).toBe(before - 2);
    expect(await eventsOf(shop.tenant, order.id)).toEqual(['order.created']);
  });

  it('takes the manual shipping cost, other income and discounts, and the totals add up', async () => {
    const response = await create(
      orderBody(shop, {
        shipping_cost: 19000,
        shipping_discount: 4000,
        product_discount: 25000.5,
        other_income: 2500,
        other_income_name: 'Packing kayu',
        payment_method: 'cod',
      }),
    );
    expect(response.statusCode, response.body).toBe(200);
    const order = response.json();
    expect(order).toMatchObject({
      product_price: '300000.00',
      product_discount: '25000.50',
      shipping_cost: '19000.00',
      shipping_discount: '4000.00',
      other_income: '2500.00',
      other_income_name: 'Packing kayu',
      unique_code_discount: '0.00',
      gross_revenue: '292499.50',
    });
  });

  it('starts as a draft when a shipped order lacks its address, still holding its stock', async () => {
    const variantId = shop.shirt.variants[0]!.id;
    const before = await stockOf(shop.tenant, shop.warehouse.id, variantId);
    const { address: _a, location_id: _l, postal_code: _p, ...body } = orderBody(shop);
    const response = await create(body);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'draft',
      shipping_cost: '0.00',
      draft_time: expect.any(String),
    });
    expect(response.json().pending_time).toBeNull();
    expect(await stockOf(shop.tenant, shop.warehouse.id, variantId)).toBe(before - 2);
  });

  it('creates a digital order without any address, and bundles by price option', async () => {
    const response = await create({
      store_unique_id: shop.tenant.store.unique_id,
      customer_name: 'Rina',
      ordervariants: [{ variant_unique_id: shop.ebook.variants[0]!.unique_id, quantity: 1 }],
      payment_method: 'no_payment',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'pending',
      product_price: '99000.00',
      payment_method: 'no_payment',
    });

    const bundled = await create(
      orderBody(shop, {
        ordervariants: [],
        orderbundles: [{ bundle_price_option_unique_id: shop.priceOption.unique_id, quantity: 1 }],
      }),
    );
    expect(bundled.statusCode, bundled.body).toBe(200);
    expect(bundled.json().product_price).toBe('275000.00');
  });

  it('fails the whole order naming a sold-out line, creating nothing', async () => {
    const sold = await checkoutShop({ name: 'Toko Habis', stock: 1 });
    const before = await orderCount(sold.tenant);
    const response = await sold.tenant.request('POST', '/v3/orders', {
      body: orderBody(sold, {
        orderbundles: [{ bundle_price_option_unique_id: sold.priceOption.unique_id, quantity: 1 }],
      }),
    });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error_code).toBe('state_conflict');
    expect(response.json().errors.items.join(' ')).toContain('out of stock');
    expect(await orderCount(sold.tenant)).toBe(before);
    expect(await stockOf(sold.tenant, sold.warehouse.id, sold.shirt.variants[0]!.id)).toBe(1);
  });

  it('answers 422 on bad input, naming the field, and never 500', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ customer_name: '  ' }, 'customer_name'],
      [
        { ordervariants: [{ variant_unique_id: 'variant_nope', quantity: 1 }] },
        'ordervariants.0.variant_unique_id',
      ],
      [{ ordervariants: [], orderbundles: [] }, 'ordervariants'],
      [{ location_id: 999999999 }, 'location_id'],
      [{ warehouse_unique_id: 'warehouse_nope' }, 'warehouse_unique_id'],
      [{ customer_email: 'not-mail' }, 'customer_email'],
      [{ discount_code_code: 'NOPE' }, 'discount_code_code'],
      [{ agent_context: { blob: 'x'.repeat(20_000) } }, 'agent_context'],
    ];
    for (const [overrides, field] of cases) {
      const response = await create(orderBody(shop, overrides));
      expect(response.statusCode, `${field}: ${response.body}`).toBe(422);
      expect(Object.keys(response.json().errors)).toContain(field);
    }
    for (const body of [
      orderBody(shop, { shipping_cost: 'nineteen' }),
      orderBody(shop, { shipping_cost: -1 }),
      orderBody(shop, { ordervariants: [{ variant_unique_id: 'x', quantity: 0 }] }),
      { customer_name: 'No store' },
    ]) {
      const response = await create(body);
      expect([400, 422], response.body).toContain(response.statusCode);
    }
  });

  it("refuses another business's store and a key without order:create", async () => {
    const other = await createTenant('Tetangga');
    const foreign = await create(orderBody(shop, { store_unique_id: other.store.unique_id }));
    expect(foreign.statusCode, foreign.body).toBe(422);
    expect(foreign.json().errors.store_unique_id).toBeDefined();
    const key = await shop.tenant.restrictedKey(['order:read', 'order:list']);
    const refused = await create(orderBody(shop), { key });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error_code).toBe('insufficient_scope');
  });

  it('replays the first answer for a repeated Idempotency-Key', async () => {
    const before = await orderCount(shop.tenant);
    const headers = { 'idempotency-key': `create-${Date.now()}` };
    const first = await create(orderBody(shop), { headers });
    const second = await create(orderBody(shop), { headers });
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    expect(await orderCount(shop.tenant)).toBe(before + 1);
  });
});
