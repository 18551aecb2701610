import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachProductToStore, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, send } from '../../helpers/tenants.ts';
import { attachPriceOptionToStore, cartClient, cartShop, tokenOf } from './cart-client.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('getGuestCart', () => {
  it('creates an empty cart on the first call without a token and returns its token in the header', async () => {
    const { client } = await cartShop();
    const first = await client.call('GET', '');
    expect(first.statusCode, first.body).toBe(200);
    const token = tokenOf(first);
    expect(token).toMatch(UUID);
    expect(first.json()).toEqual({ id: expect.any(Number), item_count: 0, total: '0.00', items: [] });

    const again = await client.call('GET', '', { token });
    expect(again.statusCode).toBe(200);
    expect(tokenOf(again)).toBe(token);
    expect(again.json().id).toBe(first.json().id);
  });

  it('gives a new cart and token for an unknown token and for another store’s cart', async () => {
    const { client, product } = await cartShop();
    const unknown = await client.call('GET', '', { token: randomUUID() });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json().items).toEqual([]);

    const added = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: product.variants[0]!.id },
    });
    const token = tokenOf(added);

    const other = await createTenant('Toko Lain');
    const otherClient = await cartClient(other);
    const foreign = await otherClient.call('GET', '', { token });
    expect(foreign.statusCode).toBe(200);
    expect(tokenOf(foreign)).not.toBe(token);
    expect(foreign.json().items).toEqual([]);
    expect(foreign.json().id).not.toBe(added.json().id);

    const mine = await client.call('GET', '', { token });
    expect(mine.json().items).toHaveLength(1);
  });

  it('lets a browser on an allowed origin read the token header', async () => {
    const { tenant, client } = await cartShop();
    const origin = `https://shop-${randomUUID().slice(0, 8)}.example.com`;
    const added = await tenant.request('POST', `/v3/stores/${tenant.store.id}/storefront/allowed-origins`, {
      body: { origin },
    });
    expect(added.statusCode, added.body).toBe(200);
    const response = await send(tenant.ctx, 'GET', `/v3/stores/${tenant.store.unique_id}/public/cart`, {
      headers: { 'x-scalev-storefront-api-key': client.key, origin },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(String(response.headers['access-control-expose-headers'])).toContain('X-Scalev-Guest-Token');
    expect(tokenOf(response)).toMatch(UUID);
  });

  it('answers 400 for a guest token that is not a UUID', async () => {
    const { client } = await cartShop();
    const response = await client.call('GET', '', { token: 'not-a-uuid' });
    expect(response.statusCode).toBe(400);
  });

  it('answers the uniform 404 for another store’s key and an unknown store', async () => {
    const { tenant } = await cartShop();
    const other = await createTenant('Toko Lain');
    const foreignKey = await cartClient(other, tenant.store.unique_id);
    const unknownStore = await cartClient(tenant, 'store_doesnotexist');
    for (const response of [await foreignKey.call('GET', ''), await unknownStore.call('GET', '')]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error_code: 'not_found', message: 'Store not found' });
      expect(response.headers['x-scalev-guest-token']).toBeUndefined();
    }
  });

  it('prices lines live and drops lines the store no longer sells', async () => {
    const { tenant, client, product } = await cartShop();
    const [biji, bubuk] = product.variants;
    const first = await client.call('POST', '/items', { body: { type: 'variant', variant_id: biji!.id } });
    const token = tokenOf(first);
    await client.call('POST', '/items', { body: { type: 'variant', variant_id: bubuk!.id }, token });

    const db = tenant.ctx.database.db;
    await db.updateTable('variants').set({ price: '120000.00' }).where('id', '=', biji!.id).execute();
    const repriced = await client.call('GET', '', { token });
    expect(repriced.json().items[0]).toMatchObject({ unit_price: '120000.00', subtotal: '120000.00' });
    expect(repriced.json().total).toBe('219999.99');

    await db.deleteFrom('store_products').where('product_id', '=', product.id).execute();
    const pruned = await client.call('GET', '', { token });
    expect(pruned.json()).toEqual({ id: first.json().id, item_count: 0, total: '0.00', items: [] });
    const left = await db
      .selectFrom('cart_items')
      .select('id')
      .where('cart_id', '=', first.json().id)
      .execute();
    expect(left).toEqual([]);
  });
});

describe('addGuestCartItem', () => {
  it('answers 201 with the cart, its token and the line’s display fields', async () => {
    const { client, product } = await cartShop();
    const variant = product.variants[0]!;
    const response = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: variant.id, quantity: 2 },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(tokenOf(response)).toMatch(UUID);
    expect(response.json()).toEqual({
      id: expect.any(Number),
      item_count: 2,
      total: '300000.00',
      items: [
        {
          id: expect.any(Number),
          type: 'variant',
          variant_id: variant.id,
          bundle_price_option_id: null,
          name: 'Kopi Arabika - Biji',
          product_name: 'Kopi Arabika',
          variant_name: 'Kopi Arabika - Biji',
          image: null,
          item_type: 'physical',
          requires_shipping: true,
          weight: 500,
          quantity: 2,
          unit_price: '150000.00',
          subtotal: '300000.00',
          line_subtotal: '300000.00',
        },
      ],
    });
  });

  it('raises the quantity of the existing line when the same item is added again', async () => {
    const { client, product } = await cartShop();
    const variant = product.variants[1]!;
    const first = await client.call('POST', '/items', { body: { type: 'variant', variant_id: variant.id } });
    const token = tokenOf(first);
    const second = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: String(variant.id), quantity: 3 },
      token,
    });
    expect(second.statusCode).toBe(201);
    expect(tokenOf(second)).toBe(token);
    expect(second.json().items).toHaveLength(1);
    expect(second.json()).toMatchObject({ item_count: 4, total: '399999.96' });
    expect(second.json().items[0]).toMatchObject({ quantity: 4, id: first.json().items[0].id });
  });

  it('adds a bundle price option as its own typed line', async () => {
    const { client, priceOption, product } = await cartShop();
    const first = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: product.variants[0]!.id },
    });
    const response = await client.call('POST', '/items', {
      body: { type: 'bundle_price_option', bundle_price_option_id: priceOption.id },
      token: tokenOf(first),
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().items[1]).toEqual({
      id: expect.any(Number),
      type: 'bundle_price_option',
      variant_id: null,
      bundle_price_option_id: priceOption.id,
      name: expect.stringMatching(/^Bundle .+ - Paket Hemat$/),
      product_name: response.json().items[1].name,
      variant_name: null,
      image: null,
      item_type: 'physical',
      requires_shipping: true,
      weight: 1000,
      quantity: 1,
      unit_price: '275000.00',
      subtotal: '275000.00',
      line_subtotal: '275000.00',
    });
    expect(response.json()).toMatchObject({ item_count: 2, total: '425000.00' });
  });

  it('accepts the public ids a storefront may hold (variant unique_id and uuid, bpo_ id)', async () => {
    const { client, product, priceOption } = await cartShop();
    const variant = product.variants[0]!;
    const first = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: variant.unique_id },
    });
    expect(first.statusCode, first.body).toBe(201);
    const token = tokenOf(first);
    const byUuid = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: variant.uuid.toUpperCase() },
      token,
    });
    const bundle = await client.call('POST', '/items', {
      body: { type: 'bundle_price_option', bundle_price_option_id: priceOption.unique_id },
      token,
    });
    expect(byUuid.json().items[0]).toMatchObject({ variant_id: variant.id, quantity: 2 });
    expect(bundle.json().items[1]).toMatchObject({ bundle_price_option_id: priceOption.id });
  });

  it('takes an item without `type` as older storefronts send it: the one id sent says what it is', async () => {
    const { client, product, priceOption } = await cartShop();
    const variant = product.variants[0]!;
    // `{variant_id, quantity}`, as the official storefront demo adds a product card's first variant.
    const first = await client.call('POST', '/items', { body: { variant_id: variant.id, quantity: 1 } });
    expect(first.statusCode, first.body).toBe(201);
    const token = tokenOf(first);
    expect(first.json().items).toEqual([
      expect.objectContaining({ type: 'variant', variant_id: variant.id, quantity: 1 }),
    ]);
    // Public ids work the same way, and the same item again raises its line.
    const again = await client.call('POST', '/items', { body: { variant_id: variant.unique_id }, token });
    expect(again.json().items).toEqual([expect.objectContaining({ variant_id: variant.id, quantity: 2 })]);
    // `{bundle_price_option_id, quantity}` is a bundle line, as older clients send it.
    const bundle = await client.call('POST', '/items', {
      body: { bundle_price_option_id: priceOption.id, quantity: 2 },
      token,
    });
    expect(bundle.statusCode, bundle.body).toBe(201);
    expect(bundle.json().items[1]).toMatchObject({
      type: 'bundle_price_option',
      bundle_price_option_id: priceOption.id,
      variant_id: null,
      quantity: 2,
    });
    expect(bundle.json()).toMatchObject({ item_count: 4, total: '850000.00' });

    // Both ids, or neither, could mean anything: a 422 saying what to send, and nothing added.
    const both = await client.call('POST', '/items', {
      body: { variant_id: variant.id, bundle_price_option_id: priceOption.id },
      token,
    });
    expect(both.statusCode, both.body).toBe(422);
    expect(both.json().errors).toEqual({
      type: ["can't be blank when both variant_id and bundle_price_option_id are sent"],
    });
    const neither = await client.call('POST', '/items', { body: { quantity: 1 }, token });
    expect(neither.statusCode, neither.body).toBe(422);
    expect(neither.json().errors).toEqual({
      variant_id: ["can't be blank: send variant_id or bundle_price_option_id"],
    });
    expect((await client.call('GET', '', { token })).json().item_count).toBe(4);
  });

  it('serves each line under the names storefront clients read: product_name, variant_name, line_subtotal', async () => {
    const { client, product, priceOption } = await cartShop();
    // The storefront demo's sequence: open the cart, add with `{variant_id, quantity}`, read it again.
    const opened = await client.call('GET', '');
    const token = tokenOf(opened);
    await client.call('POST', '/items', {
      body: { variant_id: product.variants[1]!.id, quantity: 2 },
      token,
    });
    await client.call('POST', '/items', {
      body: { bundle_price_option_id: priceOption.id, quantity: 1 },
      token,
    });
    const cart = (await client.call('GET', '', { token })).json();
    const title = (item: Record<string, unknown>) => item.product_name || item.variant_name;
    expect(cart.items.map(title)).toEqual(['Kopi Arabika', cart.items[1].name]);
    expect(cart.items[1].name).toMatch(/ - Paket Hemat$/);
    expect(cart.items.map((item: Record<string, unknown>) => item.variant_name)).toEqual([
      'Kopi Arabika - Bubuk',
      null,
    ]);
    expect(cart.items.map((item: Record<string, unknown>) => item.line_subtotal)).toEqual([
      '199999.98',
      '275000.00',
    ]);
    expect(cart).toMatchObject({ item_count: 3, total: '474999.98' });
  });

  it('adds items hidden from the storefront listing', async () => {
    const { tenant, client, bundle } = await cartShop();
    const db = tenant.ctx.database.db;
    const hidden = await db
      .insertInto('bundle_price_options')
      .values({
        business_id: tenant.business.id,
        bundle_id: bundle.id,
        unique_id: `bpo_hidden${randomUUID().slice(0, 8)}`,
        name: 'Paket Rahasia',
        slug: `paket-rahasia-${randomUUID().slice(0, 8)}`,
        price: '1000.00',
        price_bt: '1000.00',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await attachPriceOptionToStore(tenant, hidden.id, { hidden: true });
    const response = await client.call('POST', '/items', {
      body: { type: 'bundle_price_option', bundle_price_option_id: hidden.id },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().total).toBe('1000.00');
  });

  it('refuses items the store does not sell with 422 on the id field', async () => {
    const { tenant, client } = await cartShop();
    const unlisted = await insertProduct(tenant, { name: 'Belum Dijual' });
    const other = await createTenant('Toko Lain');
    const foreign = await insertProduct(other);
    await attachProductToStore(other, foreign.id);
    const cases: Array<[unknown, string]> = [
      [{ type: 'variant', variant_id: unlisted.variants[0]!.id }, 'variant_id'],
      [{ type: 'variant', variant_id: foreign.variants[0]!.id }, 'variant_id'],
      [{ type: 'variant', variant_id: foreign.variants[0]!.unique_id }, 'variant_id'],
      [{ type: 'variant', variant_id: 'kopi' }, 'variant_id'],
      [{ type: 'bundle_price_option', bundle_price_option_id: 999_999_999 }, 'bundle_price_option_id'],
      [{ type: 'bundle_price_option', bundle_price_option_id: 'bpo_unknown' }, 'bundle_price_option_id'],
    ];
    for (const [body, field] of cases) {
      const response = await client.call('POST', '/items', { body });
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json().errors[field]).toEqual(['is not available in this store']);
      expect(response.headers['x-scalev-guest-token']).toBeUndefined();
    }
  });

  it('validates the body with 422 per field', async () => {
    const { client, product } = await cartShop();
    const id = product.variants[0]!.id;
    const cases: Array<[unknown, string]> = [
      [{ quantity: 1 }, 'variant_id'],
      [{ variant_id: id, bundle_price_option_id: id }, 'type'],
      [{ type: 'product', variant_id: id }, 'type'],
      [{ type: 'variant' }, 'variant_id'],
      [{ type: 'bundle_price_option', variant_id: id }, 'bundle_price_option_id'],
      [{ type: 'variant', variant_id: id, quantity: 0 }, 'quantity'],
      [{ type: 'variant', variant_id: id, quantity: 10_001 }, 'quantity'],
      [{ type: 'variant', variant_id: id, quantity: 1.5 }, 'quantity'],
      [{ type: 'variant', variant_id: 'x'.repeat(65) }, 'variant_id'],
      [{ type: 'variant', variant_id: 1e20 }, 'variant_id'],
      [{ type: 'variant', variant_id: 0 }, 'variant_id'],
    ];
    for (const [body, field] of cases) {
      const response = await client.call('POST', '/items', { body });
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(Object.keys(response.json().errors), JSON.stringify(body)).toContain(field);
    }
  });

  it('caps a line at 10,000 units', async () => {
    const { client, product } = await cartShop();
    const body = { type: 'variant', variant_id: product.variants[0]!.id, quantity: 9_999 };
    const first = await client.call('POST', '/items', { body });
    const token = tokenOf(first);
    const over = await client.call('POST', '/items', { body: { ...body, quantity: 2 }, token });
    expect(over.statusCode).toBe(422);
    expect(over.json().errors.quantity).toHaveLength(1);
    const exact = await client.call('POST', '/items', { body: { ...body, quantity: 1 }, token });
    expect(exact.json().items[0].quantity).toBe(10_000);
  });

  it('holds at most 50 different items (409 beyond)', async () => {
    const tenant = await createTenant('Toko Besar');
    const product = await insertProduct(tenant, {
      variants: Array.from({ length: 51 }, (_, i) => ({ price: '1000', option1_value: `V${i}` })),
    });
    await attachProductToStore(tenant, product.id);
    const client = await cartClient(tenant);
    let token: string | undefined;
    for (const variant of product.variants.slice(0, 50)) {
      const response = await client.call('POST', '/items', {
        body: { type: 'variant', variant_id: variant.id },
        token,
      });
      expect(response.statusCode).toBe(201);
      token = tokenOf(response);
    }
    const over = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: product.variants[50]!.id },
      token,
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().error_code).toBe('state_conflict');
    const more = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: product.variants[0]!.id },
      token,
    });
    expect(more.statusCode).toBe(201);
    expect(more.json()).toMatchObject({ item_count: 51, total: '51000.00' });
  });

  it('counts parallel additions to one cart exactly', async () => {
    const { client, product } = await cartShop();
    const variant = product.variants[0]!;
    const first = await client.call('POST', '/items', { body: { type: 'variant', variant_id: variant.id } });
    const token = tokenOf(first);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.call('POST', '/items', { body: { type: 'variant', variant_id: variant.id }, token }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const cart = await client.call('GET', '', { token });
    expect(cart.json().items).toHaveLength(1);
    expect(cart.json().items[0].quantity).toBe(11);
  });
});

describe('updateGuestCartItem and removeGuestCartItem', () => {
  async function cartWithTwoLines() {
    const shop = await cartShop();
    const first = await shop.client.call('POST', '/items', {
      body: { type: 'variant', variant_id: shop.product.variants[0]!.id },
    });
    const token = tokenOf(first);
    const second = await shop.client.call('POST', '/items', {
      body: { type: 'bundle_price_option', bundle_price_option_id: shop.priceOption.id },
      token,
    });
    const [variantLine, bundleLine] = second.json().items as Array<{ id: number }>;
    return { ...shop, token, variantLine: variantLine!, bundleLine: bundleLine! };
  }

  it('sets a line’s quantity and answers the cart', async () => {
    const { client, token, variantLine, bundleLine } = await cartWithTwoLines();
    const response = await client.call('PATCH', `/items/${variantLine.id}`, { body: { quantity: 5 }, token });
    expect(response.statusCode, response.body).toBe(200);
    expect(tokenOf(response)).toBe(token);
    expect(response.json()).toMatchObject({ item_count: 6, total: '1025000.00' });
    expect(response.json().items.map((i: { id: number; quantity: number }) => [i.id, i.quantity])).toEqual([
      [variantLine.id, 5],
      [bundleLine.id, 1],
    ]);
  });

  it('validates the quantity and the item id', async () => {
    const { client, token, variantLine } = await cartWithTwoLines();
    for (const body of [{}, { quantity: 0 }, { quantity: 10_001 }, { quantity: 'many' }]) {
      const response = await client.call('PATCH', `/items/${variantLine.id}`, { body, token });
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json().errors.quantity).toBeDefined();
    }
    const badId = await client.call('PATCH', '/items/abc', { body: { quantity: 1 }, token });
    expect(badId.statusCode).toBe(422);
    expect(badId.json().errors.item_id).toBeDefined();
  });

  it('answers 404 for a line of another cart, an unknown line, and no or unknown token', async () => {
    const { client, token, variantLine, product } = await cartWithTwoLines();
    const otherCart = await client.call('POST', '/items', {
      body: { type: 'variant', variant_id: product.variants[1]!.id },
    });
    const otherLine = otherCart.json().items[0].id;
    const attempts = [
      client.call('PATCH', `/items/${otherLine}`, { body: { quantity: 2 }, token }),
      client.call('PATCH', '/items/999999999', { body: { quantity: 2 }, token }),
      client.call('PATCH', `/items/${variantLine.id}`, { body: { quantity: 2 } }),
      client.call('PATCH', `/items/${variantLine.id}`, { body: { quantity: 2 }, token: randomUUID() }),
      client.call('DELETE', `/items/${otherLine}`, { token }),
      client.call('DELETE', `/items/${variantLine.id}`),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error_code: 'not_found', message: 'Cart item not found' });
    }
    const untouched = await client.call('GET', '', { token: tokenOf(otherCart) });
    expect(untouched.json().items[0].quantity).toBe(1);
  });

  it('removes a line and answers the cart; removing it again is 404', async () => {
    const { client, token, variantLine, bundleLine } = await cartWithTwoLines();
    const response = await client.call('DELETE', `/items/${variantLine.id}`, { token });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ item_count: 1, total: '275000.00' });
    expect(response.json().items.map((i: { id: number }) => i.id)).toEqual([bundleLine.id]);
    const again = await client.call('DELETE', `/items/${variantLine.id}`, { token });
    expect(again.statusCode).toBe(404);
  });

  it('answers the uniform 404 for another store’s key', async () => {
    const { token, variantLine, tenant } = await cartWithTwoLines();
    const other = await createTenant('Toko Lain');
    const foreign = await cartClient(other, tenant.store.unique_id);
    const patch = await foreign.call('PATCH', `/items/${variantLine.id}`, { body: { quantity: 2 }, token });
    const remove = await foreign.call('DELETE', `/items/${variantLine.id}`, { token });
    for (const response of [patch, remove]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toBe('Store not found');
    }
  });
});
