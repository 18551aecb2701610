import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachProductToStore, insertBundle, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, randomIp, send, type Tenant } from '../../helpers/tenants.ts';
import { storefrontClient } from '../locations/storefront-client.ts';
import { attachPriceOption } from './fixtures.ts';

/**
 * The older edition's `GET /public/products` and `/public/products/count` (renamed to `items` in
 * the reference) are still called by the official storefront demo; they are the items routes
 * under a second path, so everything about them must be the items routes' own.
 */

async function shop() {
  const tenant = await createTenant();
  const products = [];
  for (let index = 0; index < 3; index++) {
    const product = await insertProduct(tenant, { variants: [{ price: '25000' }, { price: '30000' }] });
    await attachProductToStore(tenant, product.id);
    products.push(product);
  }
  const bundle = await insertBundle(tenant, [{ variantId: products[0]!.variants[0]!.id, quantity: 2 }], [{}]);
  await attachPriceOption(tenant, bundle.priceOptions[0]!.id);
  return { tenant, products, storefront: await storefrontClient(tenant) };
}

async function allowOrigin(tenant: Tenant): Promise<string> {
  const origin = `https://demo-${randomUUID().slice(0, 8)}.example.com`;
  const added = await tenant.request('POST', `/v3/stores/${tenant.store.id}/storefront/allowed-origins`, {
    body: { origin },
  });
  expect(added.statusCode, added.body).toBe(200);
  return origin;
}

describe('older-edition storefront product paths', () => {
  it('answer exactly what the items routes answer, cursors included', async () => {
    const { storefront, products } = await shop();
    const first = await storefront.get('/products?page_size=2');
    expect(first.statusCode, first.body).toBe(200);
    const items = await storefront.get('/items?page_size=2');
    expect(first.json()).toEqual(items.json());
    expect(first.json().data.map((item: { variants: unknown[] }) => item.variants.length)).toEqual([0, 2]);

    // A cursor from one path pages the other: it is one list.
    const cursor = encodeURIComponent(first.json().next_cursor);
    const next = await storefront.get(`/products?next_cursor=${cursor}&page_size=2`);
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json()).toEqual((await storefront.get(`/items?next_cursor=${cursor}&page_size=2`)).json());
    expect(next.json()).toMatchObject({ has_next: false, has_previous: true });

    const count = await storefront.get('/products/count');
    expect(count.statusCode, count.body).toBe(200);
    expect(count.json()).toEqual({ total: 4 });
    expect((await storefront.get('/products/count', { entity_type: 'product' })).json()).toEqual({
      total: 3,
    });
    // `count` is not read as a product slug, and product slugs still open products.
    const detail = await storefront.get(`/products/${products[1]!.slug}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().id).toBe(products[1]!.id);
  });

  it('take the items routes’ query validation', async () => {
    const { storefront } = await shop();
    const res = await storefront.get('/products', { page_size: 101 });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors.page_size).toBeDefined();
  });

  it('need the store’s key, check the browser origin and grant CORS like the items routes', async () => {
    const { tenant, storefront } = await shop();
    const path = (suffix: string) => `/v3/stores/${tenant.store.unique_id}/public${suffix}`;
    for (const suffix of ['/products', '/products/count']) {
      const keyless = await send(tenant.ctx, 'GET', path(suffix));
      expect(keyless.statusCode, suffix).toBe(404);
      expect(keyless.json().message).toBe('Store not found');
      const stranger = await storefrontClient(await createTenant('Toko Lain'), tenant.store.unique_id);
      expect((await stranger.get(suffix)).statusCode).toBe(404);

      const foreign = await send(tenant.ctx, 'GET', path(suffix), {
        headers: { 'x-scalev-storefront-api-key': storefront.key, origin: 'https://evil.example.com' },
      });
      expect(foreign.statusCode, foreign.body).toBe(403);
      expect(foreign.json().error_code).toBe('origin_not_allowed');
    }

    const origin = await allowOrigin(tenant);
    const preflight = await send(tenant.ctx, 'OPTIONS', path('/products/count'), {
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-scalev-storefront-api-key,x-scalev-guest-token,content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain(
      'X-Scalev-Storefront-Api-Key',
    );

    const browser = await send(tenant.ctx, 'GET', path('/products'), {
      headers: { 'x-scalev-storefront-api-key': storefront.key, origin, accept: 'application/json' },
    });
    expect(browser.statusCode, browser.body).toBe(200);
    expect(browser.headers['access-control-allow-origin']).toBe(origin);
    expect(String(browser.headers['access-control-expose-headers'])).toContain('X-Request-Id');
  });

  it('spend the same per-IP rate-limit budget as the items routes', async () => {
    const { tenant, storefront } = await shop();
    const ip = randomIp();
    const remaining = async (suffix: string) => {
      const res = await send(tenant.ctx, 'GET', `/v3/stores/${tenant.store.unique_id}/public${suffix}`, {
        headers: { 'x-scalev-storefront-api-key': storefront.key },
        remoteAddress: ip,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeDefined();
      return Number(res.headers['x-ratelimit-remaining']);
    };
    const start = await remaining('/items');
    expect(await remaining('/products')).toBe(start - 1);
    expect(await remaining('/products/count')).toBe(start - 2);
    expect(await remaining('/items/count')).toBe(start - 3);
  });
});
