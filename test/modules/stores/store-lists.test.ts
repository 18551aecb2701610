import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { attachProductToStore, insertProduct } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { expectInsufficientScope, expectPageSizeBounds, idsOf, walkFiveItems, warmUp } from './paging.ts';

async function tenantWithStores(names: string[]) {
  const tenant = await createTenant('Lists');
  const stores = [];
  for (const name of names)
    stores.push(await createStore(tenant.ctx.database.db, tenant.business.id, { name }));
  return { tenant, stores };
}

beforeAll(warmUp);

describe('listBusinessStores', () => {
  it('pages newest first, forwards and backwards', async () => {
    const { tenant, stores } = await tenantWithStores(['A', 'B', 'C', 'D']);
    const ids = await walkFiveItems(tenant, '/v3/stores');
    expect(ids).toEqual([...stores.map((s) => s.id).reverse(), tenant.store.id]);
    const first = (await tenant.request('GET', '/v3/stores')).json().data[0];
    expect(first).toMatchObject({
      id: stores[3]!.id,
      name: 'D',
      business_id: tenant.business.id,
      products: [],
    });
  });

  it('filters by name search, product and domain', async () => {
    const { tenant, stores } = await tenantWithStores(['Kopi Kenangan', 'Teh Manis', 'kopi_50%']);
    const search = await tenant.request('GET', '/v3/stores', { query: { search: 'kopi' } });
    expect(idsOf(search)).toEqual([stores[2]!.id, stores[0]!.id]);
    // LIKE metacharacters are literal.
    expect(idsOf(await tenant.request('GET', '/v3/stores', { query: { search: '50%' } }))).toEqual([
      stores[2]!.id,
    ]);

    const product = await insertProduct(tenant);
    await attachProductToStore(tenant, product.id, stores[1]!.id);
    const byProduct = await tenant.request('GET', '/v3/stores', { query: { product_id: product.id } });
    expect(idsOf(byProduct)).toEqual([stores[1]!.id]);

    // No store has a custom domain yet.
    expect(idsOf(await tenant.request('GET', '/v3/stores', { query: { has_domain: 'true' } }))).toEqual([]);
    expect(
      idsOf(await tenant.request('GET', '/v3/stores', { query: { domain: 'shop.example.com' } })),
    ).toEqual([]);
    expect(idsOf(await tenant.request('GET', '/v3/stores', { query: { has_domain: 'false' } }))).toHaveLength(
      4,
    );
  });

  it('binds cursors to the filters they were made with', async () => {
    const { tenant } = await tenantWithStores(['Kopi 1', 'Kopi 2', 'Kopi 3']);
    const first = await tenant.request('GET', '/v3/stores', { query: { search: 'kopi', page_size: 1 } });
    const cursor = first.json().next_cursor;
    const replayed = await tenant.request('GET', '/v3/stores', {
      query: { search: 'teh', next_cursor: cursor },
    });
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json().error_code).toBe('invalid_cursor');
  });

  it('never shows another business and validates its query', async () => {
    const { tenant } = await tenantWithStores([]);
    const other = await createTenant('Other');
    expect(idsOf(await tenant.request('GET', '/v3/stores'))).toEqual([tenant.store.id]);
    expect(idsOf(await other.request('GET', '/v3/stores'))).toEqual([other.store.id]);
    await expectPageSizeBounds(tenant, '/v3/stores');
    const bad = await tenant.request('GET', '/v3/stores', { query: { product_id: 'x' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.product_id).toBeDefined();
    await expectInsufficientScope(tenant, 'GET', '/v3/stores');
  });
});

describe('listBusinessStoresSimplified', () => {
  it('pages the simplified shape', async () => {
    const { tenant, stores } = await tenantWithStores(['A', 'B', 'C', 'D']);
    const ids = await walkFiveItems(tenant, '/v3/stores/simplified');
    expect(ids[0]).toBe(stores[3]!.id);
    const item = (await tenant.request('GET', '/v3/stores/simplified')).json().data[4];
    expect(item).toEqual({
      id: tenant.store.id,
      unique_id: tenant.store.unique_id,
      uuid: expect.any(String),
      name: tenant.store.name,
      is_active: true,
      is_public: true,
    });
    await expectPageSizeBounds(tenant, '/v3/stores/simplified');
    await expectInsufficientScope(tenant, 'GET', '/v3/stores/simplified');
    const other = await createTenant('Other');
    expect(idsOf(await other.request('GET', '/v3/stores/simplified'))).toEqual([other.store.id]);
  });
});
