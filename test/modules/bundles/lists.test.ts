import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  businessOf,
  createBundle,
  expectFieldError,
  expectStatus,
  ISO,
  ids,
  ownerRef,
  placeInStore,
  walkPages,
  warmUp,
} from './helpers.ts';

beforeAll(warmUp);

/** Five bundles with different names, labels, sharing and store placements; returns ids newest first. */
async function seed(tenant: Tenant) {
  const product = await insertProduct(tenant, { variants: [{}, {}] });
  const [a, b] = product.variants;
  const created = [];
  created.push(await createBundle(tenant, { name: 'Paket Kopi 50%', labels: ['promo'] }));
  created.push(await createBundle(tenant, { name: 'Paket Teh', is_bundle_sharing: true }));
  created.push(
    await createBundle(tenant, {
      name: 'Kopi Susu Duo',
      labels: ['promo', 'baru'],
      bundlelines: [
        { variant_id: a!.id, quantity: 1 },
        { variant_id: b!.id, quantity: 2 },
      ],
      bundle_price_options: [{ name: 'Duo', price: 50000 }],
    }),
  );
  created.push(await createBundle(tenant, { name: 'Paket Roti', is_bundle_sharing: true, labels: ['baru'] }));
  created.push(
    await createBundle(tenant, { name: 'Paket Kue', bundle_price_options: [{ name: 'Kue', price: 1 }] }),
  );
  await placeInStore(tenant, created[2].bundle_price_options[0].id);
  return created.map((bundle) => bundle.id as number).reverse();
}

describe('listBundles', () => {
  it('lists newest first with the BundleList shape', async () => {
    const tenant = await createTenant('Lists');
    const [kue, roti, kopiSusu] = await seed(tenant);
    const res = await tenant.request('GET', '/v3/bundles');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      is_paginated: true,
      has_next: false,
      has_previous: false,
      next_cursor: null,
      previous_cursor: null,
      page_size: 25,
    });
    expect(body.data).toHaveLength(5);
    expect(body.data[0].id).toBe(kue);
    expect(body.data[1].id).toBe(roti);
    expect(body.data[2]).toEqual({
      id: kopiSusu,
      business: businessOf(tenant),
      custom_id: null,
      name: 'Kopi Susu Duo',
      public_name: 'Paket Hemat Ramadhan',
      display: 'Paket Hemat Ramadhan',
      description: null,
      images: [],
      is_bundle_sharing: false,
      weight_bump: 0,
      variants_count: 2,
      created_at: expect.stringMatching(ISO),
      created_by: ownerRef(tenant),
      last_updated_at: expect.stringMatching(ISO),
      last_updated_by: ownerRef(tenant),
    });
    expect(body.data[0].variants_count).toBe(0);
  });

  it('pages forwards and backwards', async () => {
    const tenant = await createTenant('Lists');
    const all = await seed(tenant);
    await walkPages((query) => tenant.request('GET', '/v3/bundles', { query }), all, 2);
  });

  it('filters by search, sharing, store and label', async () => {
    const tenant = await createTenant('Lists');
    const [kue, roti, kopiSusu, teh, kopi] = await seed(tenant);
    const list = async (query: Record<string, string | number>) => {
      const res = await tenant.request('GET', '/v3/bundles', { query });
      expect(res.statusCode, res.body).toBe(200);
      return ids(res);
    };
    expect(await list({ search: 'KOPI' })).toEqual([kopiSusu, kopi]);
    // LIKE wildcards in the search are literal.
    expect(await list({ search: '50%' })).toEqual([kopi]);
    expect(await list({ search: '_' })).toEqual([]);
    expect(await list({ is_bundle_sharing: 'true' })).toEqual([roti, teh]);
    expect(await list({ is_bundle_sharing: 'false' })).toEqual([kue, kopiSusu, kopi]);
    expect(await list({ store_id: tenant.store.id })).toEqual([kopiSusu]);
    expect(await list({ label: 'promo' })).toEqual([kopiSusu, kopi]);
    expect(await list({ label: 'baru', search: 'roti' })).toEqual([roti]);
    expect(await list({ label: 'nope' })).toEqual([]);
    const otherStore = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Cabang' });
    expect(await list({ store_id: otherStore.id })).toEqual([]);
  });

  it('binds cursors to the filters and validates the query', async () => {
    const tenant = await createTenant('Lists');
    await seed(tenant);
    const first = await tenant.request('GET', '/v3/bundles', { query: { page_size: 1, label: 'promo' } });
    const cursor = first.json().next_cursor;
    expectStatus(
      await tenant.request('GET', '/v3/bundles', {
        query: { page_size: 1, label: 'baru', next_cursor: cursor },
      }),
      400,
      'invalid_cursor',
    );
    expectFieldError(await tenant.request('GET', '/v3/bundles', { query: { page_size: 0 } }), 'page_size');
    expectFieldError(await tenant.request('GET', '/v3/bundles', { query: { page_size: 26 } }), 'page_size');
    expectFieldError(await tenant.request('GET', '/v3/bundles', { query: { store_id: 'x' } }), 'store_id');
    expectFieldError(
      await tenant.request('GET', '/v3/bundles', { query: { is_bundle_sharing: 'maybe' } }),
      'is_bundle_sharing',
    );
  });

  it('never shows another business bundles and answers 404 for its store', async () => {
    const tenant = await createTenant('Lists');
    const other = await createTenant('Lain');
    await seed(other);
    const res = await tenant.request('GET', '/v3/bundles');
    expect(res.json().data).toEqual([]);
    expectStatus(
      await tenant.request('GET', '/v3/bundles', { query: { store_id: other.store.id } }),
      404,
      'not_found',
    );
    expectStatus(
      await tenant.request('GET', '/v3/bundles/count', { query: { store_id: other.store.id } }),
      404,
      'not_found',
    );
  });
});

describe('listBundlesSimplified', () => {
  it('returns essentials with price options, marking those the for_store_id store sells', async () => {
    const tenant = await createTenant('Lists');
    const [kue, , kopiSusu] = await seed(tenant);
    const plain = await tenant.request('GET', '/v3/bundles/simplified', { query: { search: 'kopi susu' } });
    expect(plain.statusCode, plain.body).toBe(200);
    const duo = plain.json().data[0];
    expect(duo).toEqual({
      id: kopiSusu,
      name: 'Kopi Susu Duo',
      public_name: 'Paket Hemat Ramadhan',
      display: 'Paket Hemat Ramadhan',
      custom_id: null,
      images: [],
      is_bundle_sharing: false,
      weight_bump: 0,
      bundle_price_options: [
        {
          id: expect.any(Number),
          unique_id: expect.any(String),
          name: 'Duo',
          slug: 'duo',
          price: '50000.00',
          price_bt: '50000.00',
        },
      ],
    });
    const marked = await tenant.request('GET', '/v3/bundles/simplified', {
      query: { for_store_id: tenant.store.id },
    });
    const byId = new Map(marked.json().data.map((b: { id: number }) => [b.id, b]));
    expect((byId.get(kopiSusu) as typeof duo).bundle_price_options[0].is_owned_by_store).toBe(true);
    expect((byId.get(kue) as typeof duo).bundle_price_options[0].is_owned_by_store).toBe(false);
  });

  it('pages forwards and backwards, filters, and validates', async () => {
    const tenant = await createTenant('Lists');
    const [kue, roti, kopiSusu, teh, kopi] = await seed(tenant);
    await walkPages(
      (query) =>
        tenant.request('GET', '/v3/bundles/simplified', {
          query: { ...query, for_store_id: tenant.store.id },
        }),
      [kue!, roti!, kopiSusu!, teh!, kopi!],
      2,
    );
    const filtered = await tenant.request('GET', '/v3/bundles/simplified', {
      query: { is_bundle_sharing: 'true', label: 'baru' },
    });
    expect(ids(filtered)).toEqual([roti]);
    expect(
      ids(await tenant.request('GET', '/v3/bundles/simplified', { query: { store_id: tenant.store.id } })),
    ).toEqual([kopiSusu]);
    expect(ids(await tenant.request('GET', '/v3/bundles/simplified', { query: { search: 'teh' } }))).toEqual([
      teh,
    ]);
    expectFieldError(
      await tenant.request('GET', '/v3/bundles/simplified', { query: { page_size: 0 } }),
      'page_size',
    );
    expectFieldError(
      await tenant.request('GET', '/v3/bundles/simplified', { query: { page_size: 26 } }),
      'page_size',
    );
    const other = await createTenant('Lain');
    expectStatus(
      await tenant.request('GET', '/v3/bundles/simplified', { query: { for_store_id: other.store.id } }),
      404,
      'not_found',
    );
    const key = await tenant.restrictedKey(['bundle:read']);
    expectStatus(await tenant.request('GET', '/v3/bundles/simplified', { key }), 403, 'insufficient_scope');
  });
});

describe('countBundles', () => {
  it('counts the business bundles, applying the same filters as the list', async () => {
    const tenant = await createTenant('Lists');
    await seed(tenant);
    const count = async (query: Record<string, string | number> = {}) => {
      const res = await tenant.request('GET', '/v3/bundles/count', { query });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect(await count()).toEqual({ count: 5 });
    expect(await count({ label: 'promo' })).toEqual({ count: 2 });
    expect(await count({ is_bundle_sharing: 'true' })).toEqual({ count: 2 });
    expect(await count({ search: 'paket' })).toEqual({ count: 4 });
    expect(await count({ store_id: tenant.store.id })).toEqual({ count: 1 });
    expect(await count({ page_size: 1 })).toEqual({ count: 5 });
    expectFieldError(
      await tenant.request('GET', '/v3/bundles/count', { query: { page_size: 26 } }),
      'page_size',
    );
    const other = await createTenant('Lain');
    expect((await other.request('GET', '/v3/bundles/count')).json()).toEqual({ count: 0 });
  });
});
