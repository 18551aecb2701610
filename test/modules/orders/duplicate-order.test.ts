import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../helpers/tenants.ts';
import { type CheckoutShop, checkoutShop, orderCount, stockOf } from '../checkout/fixtures.ts';
import { eventsOf, orderBody, subscribeAll } from './create-fixtures.ts';
import { moveOrderThrough } from './fixtures.ts';

let shop: CheckoutShop;

beforeAll(async () => {
  // Three shirts: duplicating an order of all three works only if the cancel gives them back first.
  shop = await checkoutShop({ name: 'Toko Ulang', stock: 3 });
  await subscribeAll(shop.tenant);
});

async function placed(overrides: Record<string, unknown> = {}) {
  const response = await shop.tenant.request('POST', '/v3/orders', { body: orderBody(shop, overrides) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const duplicate = (id: string, body?: unknown, key?: string) =>
  shop.tenant.request('POST', `/v3/orders/${id}/duplicate`, {
    ...(body !== undefined ? { body } : {}),
    ...(key ? { key } : {}),
  });
const shirtStock = () => stockOf(shop.tenant, shop.warehouse.id, shop.shirt.variants[0]!.id);

describe('duplicateOrder', () => {
  it('cancels the original, giving its stock back, and copies it reserving the stock anew', async () => {
    const original = await placed({
      ordervariants: [{ variant_unique_id: shop.shirt.variants[0]!.unique_id, quantity: 3 }],
      shipping_cost: 21000,
      tags: ['ulang'],
    });
    expect(await shirtStock()).toBe(0);
    const response = await duplicate(original.id, { payment_method: 'cod', metadata: { reason: 'typo' } });
    expect(response.statusCode, response.body).toBe(200);
    const copy = response.json();
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({
      status: 'pending',
      payment_status: 'unpaid',
      payment_method: 'cod',
      metadata: { reason: 'typo' },
      tags: ['ulang'],
      product_price: original.product_price,
      shipping_cost: '21000.00',
      gross_revenue: original.gross_revenue,
      customer: { name: original.customer.name },
      destination_address: original.destination_address,
      courier_service: original.courier_service,
    });
    expect(copy.orderlines.map((line: { quantity: number }) => line.quantity)).toEqual([3]);
    // Given back by the cancel, taken again by the copy: all three still out.
    expect(await shirtStock()).toBe(0);
    const cancelled = await shop.tenant.request('GET', `/v3/orders/${original.id}`);
    expect(cancelled.json()).toMatchObject({ status: 'canceled', canceled_time: expect.any(String) });
    expect(await eventsOf(shop.tenant, original.id)).toEqual(['order.created', 'order.status_changed']);
    expect(await eventsOf(shop.tenant, copy.id)).toEqual(['order.created']);

    // Cancelling the copy gives the three back exactly once.
    await moveOrderThrough(shop.tenant.ctx.database.db, shop.tenant.business.id, copy.id, {
      status: 'canceled',
      actor: 'business',
    });
    expect(await shirtStock()).toBe(3);
  });

  it('refuses to cancel a shipped order with 409 and creates nothing', async () => {
    const original = await placed({
      ordervariants: [{ variant_unique_id: shop.shirt.variants[0]!.unique_id, quantity: 1 }],
    });
    await moveOrderThrough(
      shop.tenant.ctx.database.db,
      shop.tenant.business.id,
      original.id,
      { status: 'confirmed', actor: 'business' },
      { status: 'shipped', actor: 'business' },
    );
    const before = await orderCount(shop.tenant);
    const stock = await shirtStock();
    const response = await duplicate(original.id);
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().message).toContain('shipped');
    expect(await orderCount(shop.tenant)).toBe(before);
    expect(await shirtStock()).toBe(stock);
    const still = await shop.tenant.request('GET', `/v3/orders/${original.id}`);
    expect(still.json().status).toBe('shipped');
  });

  it('answers 422 on a bad body, 404 for unknown and foreign ids, 403 without order:create', async () => {
    const original = await placed({
      ordervariants: [{ variant_unique_id: shop.ebook.variants[0]!.unique_id, quantity: 1 }],
    });
    for (const body of [
      { payment_method: 'cash' },
      { financial_entity_id: 'x' },
      { financial_entity_id: 999999 },
    ]) {
      const response = await duplicate(original.id, body);
      expect([400, 422], response.body).toContain(response.statusCode);
    }
    const other = await createTenant('Lain');
    expect((await duplicate('0193a0c4-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await duplicate('12345')).statusCode).toBe(404);
    const foreign = await other.request('POST', `/v3/orders/${original.id}/duplicate`);
    expect(foreign.statusCode).toBe(404);
    const key = await shop.tenant.restrictedKey(['order:read', 'order:update']);
    const refused = await duplicate(original.id, undefined, key);
    expect(refused.statusCode).toBe(403);
    const unchanged = await shop.tenant.request('GET', `/v3/orders/${original.id}`);
    expect(unchanged.json().status).toBe('pending');
  });
});
