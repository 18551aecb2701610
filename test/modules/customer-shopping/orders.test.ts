import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { send } from '../../helpers/tenants.ts';
import { buyer, checkoutShop, variantItem } from '../checkout/fixtures.ts';
import { accessToken, customerCheckout, type Shopper, shopper } from './fixtures.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

async function placeOrder(siti: Shopper, item: Record<string, unknown>): Promise<string> {
  const res = await siti.me('POST', '/checkout', { body: customerCheckout({ items: [item] }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('customer orders', () => {
  it('lists only the customer’s own orders in this store, newest first, page by page', async () => {
    const shop = await checkoutShop();
    const { tenant, client, shirt, ebook } = shop;
    const siti = await shopper(tenant);
    const budi = await shopper(tenant);
    const first = await placeOrder(siti, variantItem(shirt));
    await placeOrder(budi, variantItem(shirt));
    const second = await placeOrder(siti, variantItem(ebook));
    // A guest checkout with her e-mail is her order too: it is linked to her customer record.
    const guest = await client.post('/checkout', {
      items: [variantItem(ebook)],
      ...buyer({ customer_email: siti.email }),
    });
    expect(guest.statusCode, guest.body).toBe(201);
    // An order of hers in another store of the business is not listed here.
    const branch = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Cabang' });
    await tenant.ctx.database.db
      .updateTable('orders')
      .set({ store_id: branch.id })
      .where('id', '=', first)
      .execute();
    const third = await placeOrder(siti, variantItem(shirt, 2));

    const page1 = await siti.me('GET', '/orders', { query: { page_size: 2 } });
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json()).toMatchObject({
      is_paginated: true,
      has_next: true,
      has_previous: false,
      page_size: 2,
      previous_cursor: null,
    });
    expect(page1.json().data.map((o: { id: string }) => o.id)).toEqual([third, guest.json().id]);
    const page2 = await siti.me('GET', '/orders', {
      query: { page_size: 2, next_cursor: page1.json().next_cursor },
    });
    expect(page2.json()).toMatchObject({ has_next: false, has_previous: true, next_cursor: null });
    expect(page2.json().data.map((o: { id: string }) => o.id)).toEqual([second]);
    const back = await siti.me('GET', '/orders', {
      query: { page_size: 2, previous_cursor: page2.json().previous_cursor },
    });
    expect(back.json().data.map((o: { id: string }) => o.id)).toEqual([third, guest.json().id]);

    const all = await siti.me('GET', '/orders');
    expect(all.json().data).toHaveLength(3);
    expect(all.json().page_size).toBe(25);
    expect((await budi.me('GET', '/orders')).json().data).toHaveLength(1);

    // A cursor is bound to its customer.
    const stolen = await budi.me('GET', '/orders', { query: { next_cursor: page1.json().next_cursor } });
    expect(stolen.statusCode).toBe(400);
    expect((await siti.me('GET', '/orders', { query: { page_size: 26 } })).statusCode).toBe(422);
  });

  it('shows an order in the buyer-safe view with its dates and quantities', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    const id = await placeOrder(siti, variantItem(shirt, 2));
    const res = await siti.me('GET', `/orders/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const order = res.json();
    expect(order).toMatchObject({
      id,
      customer_id: siti.id,
      status: 'pending',
      pending_time: expect.stringMatching(ISO),
      unpaid_time: expect.stringMatching(ISO),
      confirmed_time: null,
      created_at: expect.stringMatching(ISO),
      total_quantity: 2,
      product_weight: 1000,
      product_price: '300000.00',
      store: { unique_id: tenant.store.unique_id },
      customer: { id: siti.id, email: siti.email },
    });
    for (const internal of ['cogs', 'net_revenue', 'business_id', 'store_id', 'client_ip', 'source'])
      expect(order).not.toHaveProperty(internal);
    const listed = (await siti.me('GET', '/orders')).json().data[0];
    expect(listed).toEqual(order);
  });

  it('never shows another customer’s order, another store’s, or a malformed id', async () => {
    const shop = await checkoutShop();
    const other = await checkoutShop({ name: 'Toko Lain' });
    const siti = await shopper(shop.tenant);
    const budi = await shopper(shop.tenant);
    const budiOrder = await placeOrder(budi, variantItem(shop.shirt));
    const stranger = await shopper(other.tenant);
    const strangerOrder = await placeOrder(stranger, variantItem(other.shirt));
    for (const id of [budiOrder, strangerOrder, randomUUID(), '12345', 'not-an-id']) {
      const res = await siti.me('GET', `/orders/${id}`);
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error_code).toBe('not_found');
    }
    // The order's owner, signed in to another store, does not see it there either.
    const res = await send(
      shop.tenant.ctx,
      'GET',
      `/v3/stores/${other.tenant.store.unique_id}/customers/me/orders/${budiOrder}`,
      {
        headers: { authorization: `Bearer ${accessToken(shop.tenant.ctx, budi.id, other.tenant.store.id)}` },
      },
    );
    expect(res.statusCode).toBe(401);
  });

  it('answers 401 without a valid token', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    const id = await placeOrder(siti, variantItem(shirt));
    for (const path of ['/orders', `/orders/${id}`]) {
      expect((await siti.me('GET', path, { headers: { authorization: '' } })).statusCode).toBe(401);
      expect((await siti.me('GET', path, { token: `${siti.token}x` })).statusCode).toBe(401);
    }
  });
});
