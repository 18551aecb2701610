import { describe, expect, it } from 'vitest';
import { attachProductToStore, insertProduct, setStock } from '../../helpers/catalog.ts';
import { buyer, checkoutShop, orderCount, stockOf, variantItem } from './fixtures.ts';

/**
 * The oversell test through HTTP: 200 buyers check out the last 50 units at once. On
 * PostgreSQL (DATABASE_URL) the requests race over the pool; on PGlite they queue for its one
 * session but must give the same answer. Every loser gets the same clear 409.
 */
describe('concurrent storefront checkouts', () => {
  it('200 buyers, 50 in stock: exactly 50 orders, stock 0, 150 out-of-stock answers', {
    timeout: 180_000,
  }, async () => {
    const { tenant, client, shirt, warehouse } = await checkoutShop({ stock: 50 });
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        client.post('/checkout', {
          items: [variantItem(shirt)],
          ...buyer({ customer_email: `buyer${i}@example.test` }),
        }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(50);
    const refused = responses.filter((response) => response.statusCode !== 201);
    expect(refused).toHaveLength(150);
    for (const response of refused) {
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json()).toMatchObject({
        error_code: 'state_conflict',
        message: 'Out of stock: Kaos Polos',
        errors: { items: ['Kaos Polos is out of stock'] },
      });
    }
    expect(await orderCount(tenant)).toBe(50);
    expect(await stockOf(tenant, warehouse.id, shirt.variants[0]!.id)).toBe(0);
    const slugs = new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.json().secret_slug));
    expect(slugs.size).toBe(50);
  });

  it('two variants, the second short: the losers get 409 naming it and keep no stock of the first', {
    timeout: 120_000,
  }, async () => {
    const { tenant, client, shirt, warehouse } = await checkoutShop({ stock: 20 });
    // Created after the shirt, so its variant id is higher: the shirt's units are taken in the
    // order's insert statement, the cap's by the conditional decrement in reserveStock.
    const cap = await insertProduct(tenant, {
      name: 'Topi',
      isInventory: true,
      variants: [{ price: '50000' }],
    });
    await attachProductToStore(tenant, cap.id);
    await setStock(tenant, warehouse.id, cap.variants[0]!.id, 3);
    expect(shirt.variants[0]!.id).toBeLessThan(cap.variants[0]!.id);

    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.post('/checkout', {
          items: [variantItem(shirt), variantItem(cap)],
          ...buyer({ customer_email: `pair${i}@example.test` }),
        }),
      ),
    );
    expect(responses.filter((response) => response.statusCode === 201)).toHaveLength(3);
    const refused = responses.filter((response) => response.statusCode !== 201);
    expect(refused).toHaveLength(9);
    for (const response of refused) {
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json()).toMatchObject({
        error_code: 'state_conflict',
        message: 'Out of stock: Topi',
        errors: { items: ['Topi is out of stock'] },
      });
    }
    expect(await orderCount(tenant)).toBe(3);
    // Only the three orders took shirts: a refused order's first take was rolled back with it.
    expect(await stockOf(tenant, warehouse.id, shirt.variants[0]!.id)).toBe(17);
    expect(await stockOf(tenant, warehouse.id, cap.variants[0]!.id)).toBe(0);
  });
});
