import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { deleteExpiredCarts } from '../../../src/modules/carts/service.ts';
import { send } from '../../helpers/tenants.ts';
import { checkoutShop, variantItem } from '../checkout/fixtures.ts';
import { accessToken, cartRow, shopper } from './fixtures.ts';

describe('customer cart', () => {
  it('opens one empty cart per customer per store, without expiry', async () => {
    const { tenant } = await checkoutShop();
    const siti = await shopper(tenant);
    const first = await siti.me('GET', '/cart');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ id: expect.any(Number), item_count: 0, total: '0.00', items: [] });
    const again = await siti.me('GET', '/cart');
    expect(again.json().id).toBe(first.json().id);

    const rows = await cartRow(tenant, siti.id);
    expect(rows).toEqual([
      {
        id: first.json().id,
        guest_token: null,
        customer_id: siti.id,
        expires_at: null,
        store_id: tenant.store.id,
      },
    ]);
    // Guest-cart cleanup never touches a customer's cart: it has no expiry (above). The sweep runs
    // at the real time: a far-future one would delete other test workers' guest carts on PostgreSQL.
    await deleteExpiredCarts(tenant.ctx.database.db, new Date());
    expect(await cartRow(tenant, siti.id)).toHaveLength(1);

    const other = await shopper(tenant);
    expect((await other.me('GET', '/cart')).json().id).not.toBe(first.json().id);
  });

  it('keeps a separate cart in each store of the business', async () => {
    const { tenant } = await checkoutShop();
    const second = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Cabang' });
    const siti = await shopper(tenant);
    const a = await siti.me('GET', '/cart');
    // The same customer, signed in to the second store.
    const b = await send(tenant.ctx, 'GET', `/v3/stores/${second.unique_id}/customers/me/cart`, {
      headers: { authorization: `Bearer ${accessToken(tenant.ctx, siti.id, second.id)}` },
    });
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json().id).not.toBe(a.json().id);
    // The first store's token does not open the second store's cart.
    const wrong = await send(tenant.ctx, 'GET', `/v3/stores/${second.unique_id}/customers/me/cart`, {
      headers: { authorization: `Bearer ${siti.token}` },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('adds items with 201, raising the quantity of a line already there', async () => {
    const { tenant, shirt, priceOption } = await checkoutShop();
    const siti = await shopper(tenant);
    const added = await siti.me('POST', '/cart/items', { body: variantItem(shirt, 2) });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      item_count: 2,
      total: '300000.00',
      items: [{ type: 'variant', variant_id: shirt.variants[0]!.id, quantity: 2, subtotal: '300000.00' }],
    });
    const more = await siti.me('POST', '/cart/items', {
      body: { type: 'variant', variant_id: shirt.variants[0]!.unique_id },
    });
    expect(more.statusCode).toBe(201);
    expect(more.json().items).toMatchObject([{ quantity: 3 }]);
    const bundle = await siti.me('POST', '/cart/items', {
      body: { type: 'bundle_price_option', bundle_price_option_id: priceOption.unique_id, quantity: 1 },
    });
    expect(bundle.json()).toMatchObject({ item_count: 4, total: '725000.00' });
    expect(bundle.json().items).toHaveLength(2);
  });

  it('validates the item: type, id, quantity, and items the store does not sell', async () => {
    const { tenant } = await checkoutShop();
    const otherShop = await checkoutShop({ name: 'Toko Lain' });
    const siti = await shopper(tenant);
    const cases: Array<[unknown, string]> = [
      [{ type: 'variant' }, 'variant_id'],
      [{ type: 'variant', variant_id: otherShop.shirt.variants[0]!.id }, 'variant_id'],
      [{ type: 'bundle_price_option', bundle_price_option_id: 'bpo_nope' }, 'bundle_price_option_id'],
      [{ type: 'coupon', variant_id: 1 }, 'type'],
      [{ type: 'variant', variant_id: 1, quantity: 0 }, 'quantity'],
    ];
    for (const [body, field] of cases) {
      const res = await siti.me('POST', '/cart/items', { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(Object.keys(res.json().errors).join(','), JSON.stringify(body)).toContain(field);
    }
    expect((await siti.me('GET', '/cart')).json().items).toEqual([]);
  });

  it('updates and removes its own lines; unknown or another customer’s line is 404', async () => {
    const { tenant, shirt, ebook } = await checkoutShop();
    const siti = await shopper(tenant);
    const budi = await shopper(tenant);
    const cart = (await siti.me('POST', '/cart/items', { body: variantItem(shirt) })).json();
    const lineId = cart.items[0].id;
    const budiLine = (await budi.me('POST', '/cart/items', { body: variantItem(ebook) })).json().items[0].id;

    const updated = await siti.me('PATCH', `/cart/items/${lineId}`, { body: { quantity: 5 } });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ item_count: 5, total: '750000.00' });

    expect((await siti.me('PATCH', `/cart/items/${lineId}`, { body: { quantity: 0 } })).statusCode).toBe(422);
    expect((await siti.me('PATCH', `/cart/items/${lineId}`, { body: {} })).statusCode).toBe(422);
    for (const id of [budiLine, 999999999]) {
      const res = await siti.me('PATCH', `/cart/items/${id}`, { body: { quantity: 1 } });
      expect(res.statusCode).toBe(404);
      expect((await siti.me('DELETE', `/cart/items/${id}`)).statusCode).toBe(404);
    }
    // Budi's line is untouched.
    expect((await budi.me('GET', '/cart')).json().items).toMatchObject([{ id: budiLine, quantity: 1 }]);

    const removed = await siti.me('DELETE', `/cart/items/${lineId}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ item_count: 0, items: [] });
    expect((await siti.me('DELETE', `/cart/items/${lineId}`)).statusCode).toBe(404);
  });

  it('answers 404 for a line when the customer has no cart yet, without creating one', async () => {
    const { tenant } = await checkoutShop();
    const siti = await shopper(tenant);
    expect((await siti.me('PATCH', '/cart/items/1', { body: { quantity: 1 } })).statusCode).toBe(404);
    expect(await cartRow(tenant, siti.id)).toEqual([]);
  });

  it('refuses a missing, forged or other store’s token with 401 on every cart route', async () => {
    const { tenant, shirt } = await checkoutShop();
    const other = await checkoutShop({ name: 'Toko Lain' });
    const siti = await shopper(tenant);
    const tokens: Array<string | undefined> = [
      undefined,
      'not-a-jwt',
      `${siti.token.slice(0, -4)}AAAA`,
      // Signed for another store.
      accessToken(tenant.ctx, siti.id, other.tenant.store.id),
    ];
    const calls: Array<[Parameters<typeof siti.me>[0], string, unknown]> = [
      ['GET', '/cart', undefined],
      ['POST', '/cart/items', variantItem(shirt)],
      ['PATCH', '/cart/items/1', { quantity: 1 }],
      ['DELETE', '/cart/items/1', undefined],
    ];
    for (const token of tokens) {
      for (const [method, path, body] of calls) {
        const res = await siti.me(method, path, {
          ...(body !== undefined ? { body } : {}),
          ...(token === undefined ? { headers: { authorization: '' } } : { token }),
        });
        expect(res.statusCode, `${method} ${path} ${token?.slice(0, 12)}`).toBe(401);
        expect(res.json().error_code).toBe('invalid_token');
      }
    }
    // A customer of another business, on that business's store: still not this store's customer.
    const stranger = await shopper(other.tenant);
    const res = await siti.me('GET', '/cart', {
      token: accessToken(tenant.ctx, stranger.id, tenant.store.id),
    });
    expect(res.statusCode).toBe(401);
    expect(await cartRow(tenant, siti.id)).toEqual([]);
  });
});
