import { describe, expect, it } from 'vitest';
import { attachProductToStore, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { createProduct, expectInsufficientScope, expectInvalid, expectNotFound, ISO } from './helpers.ts';

interface Listed {
  id: number;
  variants: Array<{ id: number; is_checked: boolean }>;
}

async function list(tenant: Tenant, query: Record<string, string | number> = {}, path = '/v3/products') {
  const res = await tenant.request('GET', path, { query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const ids = (page: { data: Listed[] }) => page.data.map((p) => p.id);

/** A small catalog covering every filter. */
async function catalog(tenant: Tenant) {
  const kopi = await createProduct(tenant, {
    name: 'Kopi Arabika Gayo',
    labels: ['Kopi', 'Promo'],
    is_inventory: true,
  });
  const teh = await createProduct(tenant, {
    name: 'Teh Melati',
    option1_name: 'Ukuran',
    is_product_sharing: true,
    variants: [
      { price: '10000', weight: 100, option1_value: 'Kecil', is_checked: false },
      { price: '20000', weight: 200, option1_value: 'Besar' },
    ],
  });
  const kelas = await createProduct(tenant, {
    name: 'Kelas Kopi Online',
    item_type: 'subscription',
    labels: ['Kelas'],
    variants: [{ price: '99000', weight: 0, interval: 'month', interval_count: 1 }],
  });
  const ebook = await createProduct(tenant, { name: 'Ebook Resep 50% Diskon', item_type: 'digital' });
  return { kopi, teh, kelas, ebook };
}

describe('listProducts', () => {
  it('lists the business products newest first with the list shape', async () => {
    const tenant = await createTenant('List');
    const { kopi, teh, kelas, ebook } = await catalog(tenant);
    const page = await list(tenant);
    expect(page).toMatchObject({
      is_paginated: true,
      has_next: false,
      has_previous: false,
      next_cursor: null,
      previous_cursor: null,
      page_size: 25,
    });
    expect(ids(page)).toEqual([ebook.id, kelas.id, teh.id, kopi.id]);
    const item = page.data[3];
    expect(Object.keys(item).sort()).toEqual(
      [
        'id',
        'uuid',
        'name',
        'display',
        'item_type',
        'item_type_name',
        'is_inventory',
        'is_multiple',
        'is_product_sharing',
        'option1_name',
        'option2_name',
        'option3_name',
        'description',
        'business',
        'public_name',
        'slug',
        'images',
        'labels',
        'taxonomy_id',
        'is_affiliate_enabled',
        'is_affiliate_auto_accept',
        'is_affiliate_pro_enabled',
        'affiliate_commission_rate',
        'affiliate_pro_commission_rate',
        'custom_domains',
        'product_partners',
        'variants_count',
        'created_by',
        'last_updated_by',
        'created_at',
        'last_updated_at',
        'variants',
      ].sort(),
    );
    expect(item).toMatchObject({
      name: 'Kopi Arabika Gayo',
      labels: [{ name: 'Kopi' }, { name: 'Promo' }],
      created_at: expect.stringMatching(ISO),
    });
    expect(item.variants).toEqual([
      {
        id: kopi.variants[0].id,
        uuid: kopi.variants[0].uuid,
        unique_id: kopi.variants[0].unique_id,
        name: 'Kopi Arabika Gayo',
        product_name: 'Kopi Arabika Gayo',
        item_type: 'physical',
        option1_value: null,
        option2_value: null,
        option3_value: null,
        sku: null,
        price: '25000.00',
        currency: 'IDR',
        weight: 250,
        pricing_type: 'one_time',
        interval: null,
        interval_count: null,
        validity_period: null,
        validity_period_unit: null,
        is_checked: true,
        is_editable: true,
        images: [],
        self_file_urls: [],
        metadata: {},
        available_qty: 0,
        digital_product_files: [],
      },
    ]);
    // Another business sees none of them.
    expect((await list(await createTenant('List Other'))).data).toEqual([]);
  });

  it('pages forwards and backwards with signed cursors', async () => {
    const tenant = await createTenant('List');
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await createProduct(tenant, { name: `Produk ${i}` })).id);
    const newestFirst = [...made].reverse();
    const p1 = await list(tenant, { page_size: 2 });
    expect(ids(p1)).toEqual(newestFirst.slice(0, 2));
    expect(p1).toMatchObject({ has_next: true, has_previous: false, page_size: 2 });
    const p2 = await list(tenant, { page_size: 2, next_cursor: p1.next_cursor });
    expect(ids(p2)).toEqual(newestFirst.slice(2, 4));
    expect(p2).toMatchObject({ has_next: true, has_previous: true });
    const p3 = await list(tenant, { page_size: 2, next_cursor: p2.next_cursor });
    expect(ids(p3)).toEqual(newestFirst.slice(4));
    expect(p3).toMatchObject({ has_next: false, has_previous: true, next_cursor: null });
    const back = await list(tenant, { page_size: 2, previous_cursor: p3.previous_cursor });
    expect(ids(back)).toEqual(newestFirst.slice(2, 4));
    const first = await list(tenant, { page_size: 2, previous_cursor: back.previous_cursor });
    expect(ids(first)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_previous).toBe(false);
    // A cursor is bound to its business and its filters.
    const other = await createTenant('List Other');
    const stolen = await other.request('GET', '/v3/products', {
      query: { page_size: 2, next_cursor: p1.next_cursor },
    });
    expect(stolen.statusCode).toBe(400);
    const refiltered = await tenant.request('GET', '/v3/products', {
      query: { page_size: 2, item_type: 'digital', next_cursor: p1.next_cursor },
    });
    expect(refiltered.statusCode).toBe(400);
  });

  it('applies each filter', async () => {
    const tenant = await createTenant('List');
    const { kopi, teh, kelas, ebook } = await catalog(tenant);
    const gudang = await insertWarehouse(tenant, 'Gudang Bandung');
    const kosong = await insertWarehouse(tenant, 'Gudang Kosong');
    await setStock(tenant, gudang.id, kopi.variants[0].id, 7);
    await setStock(tenant, kosong.id, teh.variants[1].id, 0);
    await attachProductToStore(tenant, teh.id);
    const f = async (query: Record<string, string | number>) => ids(await list(tenant, query));

    expect(await f({ search: 'KOPI' })).toEqual([kelas.id, kopi.id]);
    expect(await f({ search: '50%' })).toEqual([ebook.id]);
    expect(await f({ search: '%' })).toEqual([ebook.id]);
    expect(await f({ search: 'teh_' })).toEqual([]);
    expect(await f({ is_inventory: 'true' })).toEqual([kopi.id]);
    expect(await f({ is_inventory: 'false' })).toEqual([ebook.id, kelas.id, teh.id]);
    expect(await f({ is_product_sharing: 'true' })).toEqual([teh.id]);
    expect(await f({ warehouse_id: gudang.id })).toEqual([kopi.id]);
    expect(await f({ warehouse_id: kosong.id })).toEqual([teh.id]);
    expect(await f({ warehouse_id: kosong.id, qty_type: 'available_qty' })).toEqual([]);
    // Products that do not track inventory never run out; kopi has stock.
    expect(await f({ qty_type: 'available_qty' })).toEqual([ebook.id, kelas.id, teh.id, kopi.id]);
    expect(await f({ store_id: tenant.store.id })).toEqual([teh.id]);
    expect(await f({ item_type: 'subscription' })).toEqual([kelas.id]);
    expect(await f({ label: 'Promo' })).toEqual([kopi.id]);
    expect(await f({ label: 'promo' })).toEqual([]);
    expect(await f({ pricing_type: 'recurring' })).toEqual([kelas.id]);
    expect(await f({ pricing_type: 'one_time' })).toEqual([ebook.id, teh.id, kopi.id]);
    expect(await f({ is_owned: 'true' })).toEqual([ebook.id, kelas.id, teh.id, kopi.id]);
    expect(await f({ is_owned: 'false' })).toEqual([]);
    expect(await f({ item_type: 'physical', is_inventory: 'false' })).toEqual([teh.id]);

    // is_checked narrows the products and the variants they show; variants_count still counts all.
    const unchecked = await list(tenant, { is_checked: 'false' });
    expect(ids(unchecked)).toEqual([teh.id]);
    expect(unchecked.data[0].variants.map((v: { id: number }) => v.id)).toEqual([teh.variants[0].id]);
    expect(unchecked.data[0].variants_count).toBe(2);
    expect(await f({ is_checked: 'true' })).toEqual([ebook.id, kelas.id, teh.id, kopi.id]);

    // Stock shows on inventory products only.
    const stocked = (await list(tenant, { is_inventory: 'true' })).data[0];
    expect(stocked.variants[0].available_qty).toBe(7);

    // Another business's store or warehouse matches nothing here.
    const other = await createTenant('List Other');
    expect(await f({ store_id: other.store.id })).toEqual([]);
  });

  it('validates the query', async () => {
    const tenant = await createTenant('List');
    for (const [field, value] of [
      ['page_size', 0],
      ['page_size', 26],
      ['item_type', 'service'],
      ['pricing_type', 'weekly'],
      ['qty_type', 'total_qty'],
      ['is_inventory', 'maybe'],
      ['warehouse_id', 'abc'],
      ['store_id', 0],
      ['search', 'x'.repeat(201)],
    ] as const) {
      expectInvalid(await tenant.request('GET', '/v3/products', { query: { [field]: value } }), field);
    }
    expect(
      (await tenant.request('GET', '/v3/products', { query: { next_cursor: 'forged.cursor' } })).statusCode,
    ).toBe(400);
  });

  it('requires product:list', async () => {
    const tenant = await createTenant('List');
    const key = await tenant.restrictedKey(['product:read']);
    expectInsufficientScope(await tenant.request('GET', '/v3/products', { key }));
    expectInsufficientScope(await tenant.request('GET', '/v3/products/simplified', { key }));
    expectInsufficientScope(await tenant.request('GET', '/v3/products/count', { key }));
  });
});

describe('countProducts', () => {
  it('counts with the same filters as the list', async () => {
    const tenant = await createTenant('Count');
    await catalog(tenant);
    const count = async (query: Record<string, string | number> = {}) => {
      const res = await tenant.request('GET', '/v3/products/count', { query });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect(await count()).toEqual({ count: 4 });
    expect(await count({ search: 'kopi' })).toEqual({ count: 2 });
    expect(await count({ item_type: 'digital' })).toEqual({ count: 1 });
    expect(await count({ is_checked: 'false' })).toEqual({ count: 1 });
    expect(await count({ is_owned: 'false' })).toEqual({ count: 0 });
    expect(await count({ page_size: 1 })).toEqual({ count: 4 });
    expectInvalid(
      await tenant.request('GET', '/v3/products/count', { query: { item_type: 'x' } }),
      'item_type',
    );
    expect(
      await (async () =>
        (await (await createTenant('Count Other')).request('GET', '/v3/products/count')).json())(),
    ).toEqual({
      count: 0,
    });
  });
});

describe('listProductsSimplified', () => {
  it('lists the simplified shape with the same filters and paging', async () => {
    const tenant = await createTenant('Simple');
    const { kopi, teh, kelas, ebook } = await catalog(tenant);
    const page = await list(tenant, { page_size: 3 }, '/v3/products/simplified');
    expect(ids(page)).toEqual([ebook.id, kelas.id, teh.id]);
    expect(page.data[2]).toEqual({
      id: teh.id,
      uuid: teh.uuid,
      name: 'Teh Melati',
      display: 'Teh Melati',
      item_type: 'physical',
      item_type_name: 'Physical',
      images: [],
      labels: [],
      variants: [
        expect.objectContaining({ id: teh.variants[0].id, name: 'Teh Melati - Kecil', price: '10000.00' }),
        expect.objectContaining({ id: teh.variants[1].id, name: 'Teh Melati - Besar', available_qty: null }),
      ],
    });
    const next = await list(
      tenant,
      { page_size: 3, next_cursor: page.next_cursor },
      '/v3/products/simplified',
    );
    expect(ids(next)).toEqual([kopi.id]);
    const back = await list(
      tenant,
      { page_size: 3, previous_cursor: next.previous_cursor },
      '/v3/products/simplified',
    );
    expect(ids(back)).toEqual(ids(page));
    expect(ids(await list(tenant, { search: 'melati' }, '/v3/products/simplified'))).toEqual([teh.id]);
    // List cursors are not simplified-list cursors.
    const fromList = await list(tenant, { page_size: 3 });
    const mixed = await tenant.request('GET', '/v3/products/simplified', {
      query: { page_size: 3, next_cursor: fromList.next_cursor },
    });
    expect(mixed.statusCode).toBe(400);
    for (const size of [0, 26]) {
      expectInvalid(
        await tenant.request('GET', '/v3/products/simplified', { query: { page_size: size } }),
        'page_size',
      );
    }
  });

  it('marks products the store sells when for_store_id is sent', async () => {
    const tenant = await createTenant('Simple');
    const { teh, kopi } = await catalog(tenant);
    await attachProductToStore(tenant, teh.id);
    const plain = await list(tenant, {}, '/v3/products/simplified');
    expect(plain.data[0]).not.toHaveProperty('is_owned_by_store');
    const page = await list(tenant, { for_store_id: tenant.store.id }, '/v3/products/simplified');
    const owned = Object.fromEntries(
      page.data.map((p: { id: number; is_owned_by_store: boolean }) => [p.id, p.is_owned_by_store]),
    );
    expect(owned[teh.id]).toBe(true);
    expect(owned[kopi.id]).toBe(false);
    const other = await createTenant('Simple Other');
    expectNotFound(
      await tenant.request('GET', '/v3/products/simplified', { query: { for_store_id: other.store.id } }),
    );
    expectInvalid(
      await tenant.request('GET', '/v3/products/simplified', { query: { for_store_id: 'x' } }),
      'for_store_id',
    );
  });
});
