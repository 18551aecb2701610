import { describe, expect, it } from 'vitest';
import { attachProductToStore, insertProduct } from '../../helpers/catalog.ts';
import { send } from '../../helpers/tenants.ts';
import { type CheckoutShop, checkoutShop, variantItem } from '../checkout/fixtures.ts';
import { accessToken, type Shopper, shopper } from './fixtures.ts';

function merge(
  shop: CheckoutShop,
  options: { token?: string | undefined; guestToken?: string; key?: string | null; storeUniqueId?: string },
) {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.guestToken) headers['x-scalev-guest-token'] = options.guestToken;
  if (options.key !== null) headers['x-scalev-storefront-api-key'] = options.key ?? shop.client.key;
  const store = options.storeUniqueId ?? shop.tenant.store.unique_id;
  return send(shop.tenant.ctx, 'POST', `/v3/stores/${store}/public/cart/merge`, { headers });
}

async function guestCartExists(shop: CheckoutShop, token: string): Promise<boolean> {
  const row = await shop.tenant.ctx.database.db
    .selectFrom('carts')
    .select('id')
    .where('guest_token', '=', token)
    .executeTakeFirst();
  return row !== undefined;
}

describe('mergeGuestCart', () => {
  it('adds the guest lines to the customer cart, adding quantities, and deletes the guest cart', async () => {
    const shop = await checkoutShop();
    const { shirt, ebook, priceOption } = shop;
    const siti = await shopper(shop.tenant);
    await siti.me('POST', '/cart/items', { body: variantItem(shirt, 2) });
    const guestToken = await shop.client.cartWith([
      variantItem(shirt, 3),
      variantItem(ebook, 1),
      { type: 'bundle_price_option', bundle_price_option_id: priceOption.id, quantity: 1 },
    ]);

    const merged = await merge(shop, { token: siti.token, guestToken });
    expect(merged.statusCode, merged.body).toBe(200);
    const cart = merged.json();
    expect(cart.items.map((item: { name: string; quantity: number }) => [item.name, item.quantity])).toEqual([
      ['Kaos Polos', 5],
      ['E-book Jualan', 1],
      [expect.stringContaining('Paket Hemat'), 1],
    ]);
    expect(cart).toMatchObject({ item_count: 7, total: '1124000.00' });
    expect((await siti.me('GET', '/cart')).json()).toEqual(cart);
    expect(merged.headers['x-scalev-guest-token']).toBeUndefined();

    // The guest cart is gone: its token now opens a new, empty cart; merging again changes nothing.
    expect(await guestCartExists(shop, guestToken)).toBe(false);
    expect(await shop.client.cartLines(guestToken)).toBe(0);
    const again = await merge(shop, { token: siti.token, guestToken });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(cart);
  });

  it('caps an added-up quantity at the most a line holds', async () => {
    const shop = await checkoutShop();
    const siti = await shopper(shop.tenant);
    await siti.me('POST', '/cart/items', { body: variantItem(shop.shirt, 9_000) });
    const guestToken = await shop.client.cartWith([variantItem(shop.shirt, 2_000)]);
    const merged = await merge(shop, { token: siti.token, guestToken });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().items).toMatchObject([{ quantity: 10_000 }]);
  });

  it('adds new items only while the customer cart has room (50 lines)', async () => {
    const shop = await checkoutShop();
    const { tenant } = shop;
    const many = await insertProduct(tenant, {
      name: 'Stiker',
      variants: Array.from({ length: 51 }, (_, i) => ({ price: '1000', option1_value: `S${i}` })),
    });
    await attachProductToStore(tenant, many.id);
    const siti = await shopper(tenant);
    const cartId = (await siti.me('GET', '/cart')).json().id;
    await tenant.ctx.database.db
      .insertInto('cart_items')
      .values(
        many.variants.slice(0, 49).map((variant) => ({
          cart_id: cartId,
          business_id: tenant.business.id,
          variant_id: variant.id,
          bundle_price_option_id: null,
          quantity: 1,
        })),
      )
      .execute();
    const guestToken = await shop.client.cartWith([
      { type: 'variant', variant_id: many.variants[0]!.id, quantity: 4 },
      { type: 'variant', variant_id: many.variants[49]!.id, quantity: 1 },
      { type: 'variant', variant_id: many.variants[50]!.id, quantity: 1 },
    ]);
    const merged = await merge(shop, { token: siti.token, guestToken });
    expect(merged.statusCode, merged.body).toBe(200);
    const items: Array<{ variant_id: number; quantity: number }> = merged.json().items;
    expect(items).toHaveLength(50);
    expect(items.find((item) => item.variant_id === many.variants[0]!.id)?.quantity).toBe(5);
    expect(items.some((item) => item.variant_id === many.variants[49]!.id)).toBe(true);
    expect(items.some((item) => item.variant_id === many.variants[50]!.id)).toBe(false);
    expect(await guestCartExists(shop, guestToken)).toBe(false);
  });

  it('answers the customer cart unchanged without a guest token or with another store’s', async () => {
    const shop = await checkoutShop();
    const otherShop = await checkoutShop({ name: 'Toko Lain' });
    const siti = await shopper(shop.tenant);
    await siti.me('POST', '/cart/items', { body: variantItem(shop.shirt) });
    const before = (await siti.me('GET', '/cart')).json();

    const none = await merge(shop, { token: siti.token });
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json()).toEqual(before);

    const foreignToken = await otherShop.client.cartWith([variantItem(otherShop.shirt, 2)]);
    const foreign = await merge(shop, { token: siti.token, guestToken: foreignToken });
    expect(foreign.json()).toEqual(before);
    // The other store's guest cart is left alone.
    expect(await otherShop.client.cartLines(foreignToken)).toBe(1);
  });

  it('needs the customer token, the storefront key and a UUID guest token', async () => {
    const shop = await checkoutShop();
    const otherShop = await checkoutShop({ name: 'Toko Lain' });
    const siti: Shopper = await shopper(shop.tenant);
    const guestToken = await shop.client.cartWith([variantItem(shop.shirt)]);

    const noToken = await merge(shop, { guestToken });
    expect(noToken.statusCode).toBe(401);
    const forged = await merge(shop, { token: 'abc.def.ghi', guestToken });
    expect(forged.statusCode).toBe(401);
    const otherStoreToken = accessToken(shop.tenant.ctx, siti.id, otherShop.tenant.store.id);
    expect((await merge(shop, { token: otherStoreToken, guestToken })).statusCode).toBe(401);

    const noKey = await merge(shop, { token: siti.token, guestToken, key: null });
    expect(noKey.statusCode).toBe(404);
    const otherKey = await merge(shop, { token: siti.token, guestToken, key: otherShop.client.key });
    expect(otherKey.statusCode).toBe(404);

    const badGuest = await merge(shop, { token: siti.token, guestToken: 'not-a-uuid' });
    expect(badGuest.statusCode).toBe(400);

    // Nothing was merged by the refused calls.
    expect(await guestCartExists(shop, guestToken)).toBe(true);
    expect((await siti.me('GET', '/cart')).json().items).toEqual([]);
  });
});
