import { describe, expect, it } from 'vitest';
import {
  CART_LIFETIME_DAYS,
  clearCart,
  deleteExpiredCarts,
  findActiveCart,
} from '../../../src/modules/carts/service.ts';
import { cartShop, tokenOf } from './cart-client.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

async function filledCart() {
  const shop = await cartShop();
  const first = await shop.client.call('POST', '/items', {
    body: { type: 'variant', variant_id: shop.product.variants[0]!.id, quantity: 2 },
  });
  const token = tokenOf(first);
  await shop.client.call('POST', '/items', {
    body: { type: 'bundle_price_option', bundle_price_option_id: shop.priceOption.id },
    token,
  });
  return { ...shop, token, cartId: first.json().id as number, db: shop.tenant.ctx.database.db };
}

describe('cart lifetime', () => {
  it('keeps a cart for 30 days after its last change', async () => {
    const { db, cartId } = await filledCart();
    const cart = await db
      .selectFrom('carts')
      .select(['updated_at', 'expires_at'])
      .where('id', '=', cartId)
      .executeTakeFirstOrThrow();
    expect(cart.expires_at?.getTime()).toBe(cart.updated_at.getTime() + CART_LIFETIME_DAYS * DAY_MS);
  });

  it('treats an expired cart as no cart: a new cart and token, and checkout finds nothing', async () => {
    const { db, client, token, cartId, tenant } = await filledCart();
    await db
      .updateTable('carts')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', cartId)
      .execute();
    const response = await client.call('GET', '', { token });
    expect(response.statusCode).toBe(200);
    expect(tokenOf(response)).not.toBe(token);
    expect(response.json()).toMatchObject({ item_count: 0, items: [] });
    expect(response.json().id).not.toBe(cartId);
    expect(await findActiveCart(db, tenant.store.id, token)).toBeNull();
    const patch = await client.call('PATCH', '/items/1', { body: { quantity: 1 }, token });
    expect(patch.statusCode).toBe(404);
  });

  it('deleteExpiredCarts removes carts whose lifetime ended, with their lines, and keeps the rest', async () => {
    // The database may be shared with other test workers: expire only this test's cart.
    const { db, cartId } = await filledCart();
    const live = await filledCart();
    await db
      .updateTable('carts')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', cartId)
      .execute();

    expect(await deleteExpiredCarts(db, new Date())).toBeGreaterThanOrEqual(1);
    expect(await db.selectFrom('carts').select('id').where('id', '=', cartId).execute()).toEqual([]);
    expect(await db.selectFrom('cart_items').select('id').where('cart_id', '=', cartId).execute()).toEqual(
      [],
    );
    expect(await findActiveCart(db, live.tenant.store.id, live.token)).not.toBeNull();
  });
});

describe('checkout helpers', () => {
  it('findActiveCart returns the typed lines in the order they were added', async () => {
    const { db, tenant, token, cartId, product, priceOption } = await filledCart();
    const found = await findActiveCart(db, tenant.store.id, token.toUpperCase());
    expect(found).toEqual({
      id: String(cartId),
      lines: [
        { ref: { type: 'variant', variant_id: product.variants[0]!.id }, quantity: 2 },
        { ref: { type: 'bundle_price_option', bundle_price_option_id: priceOption.id }, quantity: 1 },
      ],
    });
  });

  it('findActiveCart does not open another store’s cart', async () => {
    const { db, token } = await filledCart();
    const other = await cartShop();
    expect(await findActiveCart(db, other.tenant.store.id, token)).toBeNull();
  });

  it('clearCart empties the cart inside the caller’s transaction and only for its own store', async () => {
    const { db, tenant, token, client } = await filledCart();
    const found = await findActiveCart(db, tenant.store.id, token);
    const other = await cartShop();
    await db.transaction().execute((trx) => clearCart(trx, other.tenant.store.id, found!.id));
    expect((await findActiveCart(db, tenant.store.id, token))!.lines).toHaveLength(2);

    await db.transaction().execute((trx) => clearCart(trx, tenant.store.id, found!.id));
    const after = await findActiveCart(db, tenant.store.id, token);
    expect(after).toEqual({ id: found!.id, lines: [] });
    const cart = await client.call('GET', '', { token });
    expect(tokenOf(cart)).toBe(token);
    expect(cart.json()).toMatchObject({ item_count: 0, total: '0.00', items: [] });
    await expect(
      db.transaction().execute((trx) => clearCart(trx, tenant.store.id, 'not-a-cart')),
    ).resolves.toBeUndefined();
  });
});
