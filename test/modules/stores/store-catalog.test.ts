import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import {
  attachProductToStore,
  insertBundle,
  insertProduct,
  insertWarehouse,
  setStock,
} from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  expectInsufficientScope,
  expectPageSizeBounds,
  ISO,
  idsOf,
  walkFiveItems,
  warmUp,
} from './paging.ts';

beforeAll(warmUp);

const base = (tenant: Tenant, storeId = tenant.store.id) => `/v3/stores/${storeId}`;

async function attach(tenant: Tenant, ids: number[], storeId = tenant.store.id) {
  const res = await tenant.request('POST', `${base(tenant, storeId)}/bundle-price-options`, {
    body: { bpo_ids: ids },
  });
  expect(res.statusCode, res.body).toBe(204);
}

describe('listBusinessStoreProducts', () => {
  it('pages the products listed in the store with their variants', async () => {
    const tenant = await createTenant('Catalog');
    const products = [];
    for (let i = 0; i < 5; i++) {
      const product = await insertProduct(tenant, {
        name: `Produk ${i}`,
        variants: [
          { price: '100000', option1_value: 'Merah', sku: `SKU-${i}` },
          { price: '120000', option1_value: 'Biru' },
        ],
      });
      await attachProductToStore(tenant, product.id);
      products.push(product);
    }
    await insertProduct(tenant, { name: 'Not listed' });
    const url = `${base(tenant)}/products`;
    const ids = await walkFiveItems(tenant, url);
    expect(ids).toEqual(products.map((p) => p.id).reverse());
    const item = (await tenant.request('GET', url)).json().data[4];
    expect(item).toEqual({
      id: products[0]!.id,
      uuid: products[0]!.uuid,
      name: 'Produk 0',
      public_name: null,
      display: 'Produk 0',
      slug: products[0]!.slug,
      item_type: 'physical',
      is_inventory: false,
      is_multiple: false,
      images: [],
      labels: [],
      is_hidden_from_listing: false,
      variants: [
        {
          id: products[0]!.variants[0]!.id,
          uuid: products[0]!.variants[0]!.uuid,
          unique_id: products[0]!.variants[0]!.unique_id,
          name: 'Merah',
          sku: 'SKU-0',
          option1_value: 'Merah',
          option2_value: null,
          option3_value: null,
          price: '100000.00',
          price_bt: '100000.00',
          weight: 500,
          images: [],
        },
        expect.objectContaining({ name: 'Biru', price: '120000.00' }),
      ],
      created_at: expect.stringMatching(ISO),
      last_updated_at: expect.stringMatching(ISO),
    });
    await expectPageSizeBounds(tenant, url);
    await expectInsufficientScope(tenant, 'GET', url);
  });

  it("answers 404 for another business's store", async () => {
    const tenant = await createTenant('Catalog');
    const other = await createTenant('Other');
    for (const path of ['products', 'bundles']) {
      const res = await tenant.request('GET', `${base(other)}/${path}`);
      expect(res.statusCode, path).toBe(404);
    }
  });
});

describe('store bundles and bundle price options', () => {
  it('lists bundles with only the price options this store offers', async () => {
    const tenant = await createTenant('Catalog');
    const product = await insertProduct(tenant);
    const second = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Second' });
    const bundles = [];
    for (let i = 0; i < 5; i++) {
      const bundle = await insertBundle(
        tenant,
        [{ variantId: product.variants[0]!.id, quantity: 1 }],
        [
          { name: `Satu ${i}`, price: '50000' },
          { name: `Dua ${i}`, price: '90000' },
        ],
      );
      await attach(tenant, [bundle.priceOptions[0]!.id]);
      await attach(tenant, [bundle.priceOptions[1]!.id], second.id);
      bundles.push(bundle);
    }
    // A bundle offered only elsewhere is not listed here.
    const elsewhere = await insertBundle(tenant, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    await attach(tenant, [elsewhere.priceOptions[0]!.id], second.id);

    const url = `${base(tenant)}/bundles`;
    expect(await walkFiveItems(tenant, url)).toEqual(bundles.map((b) => b.id).reverse());
    const item = (await tenant.request('GET', url)).json().data[4];
    expect(item).toEqual({
      id: bundles[0]!.id,
      name: expect.any(String),
      public_name: null,
      display: item.name,
      images: [],
      bundle_price_options: [
        {
          id: bundles[0]!.priceOptions[0]!.id,
          unique_id: bundles[0]!.priceOptions[0]!.unique_id,
          bundle_id: bundles[0]!.id,
          name: 'Satu 0',
          slug: bundles[0]!.priceOptions[0]!.slug,
          price: '50000.00',
          price_bt: '50000.00',
          is_visible: true,
        },
      ],
      created_at: expect.stringMatching(ISO),
      last_updated_at: expect.stringMatching(ISO),
    });
    await expectPageSizeBounds(tenant, url);
    await expectInsufficientScope(tenant, 'GET', url);

    const one = await tenant.request('GET', `${url}/${bundles[0]!.id}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual(item);
    for (const ref of [String(elsewhere.id), 'abc', '99999999999999999999']) {
      expect((await tenant.request('GET', `${url}/${ref}`)).statusCode, ref).toBe(404);
    }
    await expectInsufficientScope(tenant, 'GET', `${url}/${bundles[0]!.id}`);
  });

  it('attaches idempotently, reads, relates and detaches price options', async () => {
    const tenant = await createTenant('Catalog');
    const product = await insertProduct(tenant);
    const bundle = await insertBundle(
      tenant,
      [{ variantId: product.variants[0]!.id, quantity: 1 }],
      [{ name: 'Hemat', price: '75000' }],
    );
    const option = bundle.priceOptions[0]!;
    await attach(tenant, [option.id, option.id]);
    await attach(tenant, [option.id]);
    const url = `${base(tenant)}/bundle-price-options/${option.id}`;
    const got = await tenant.request('GET', url);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toEqual({
      id: option.id,
      unique_id: option.unique_id,
      bundle_id: bundle.id,
      name: 'Hemat',
      slug: option.slug,
      price: '75000.00',
      price_bt: '75000.00',
      is_visible: true,
    });
    // The public unique_id addresses it too.
    expect(
      (await tenant.request('GET', `${base(tenant)}/bundle-price-options/${option.unique_id}`)).json(),
    ).toEqual(got.json());

    const relations = await tenant.request('GET', `${url}/relations`);
    expect(relations.statusCode, relations.body).toBe(200);
    expect(relations.json()).toEqual({
      id: option.id,
      unique_id: option.unique_id,
      bundle_id: bundle.id,
      name: 'Hemat',
      slug: option.slug,
      price: '75000.00',
      price_bt: '75000.00',
      stores: [
        {
          id: tenant.store.id,
          unique_id: tenant.store.unique_id,
          name: tenant.store.name,
          business: {
            id: tenant.business.id,
            unique_id: tenant.business.unique_id,
            username: tenant.business.username,
            account_holder: tenant.business.account_holder,
            email: expect.any(String),
            phone: null,
          },
        },
      ],
      pages: { all: [], will_unpublish: [] },
    });

    await expectInsufficientScope(tenant, 'GET', url);
    await expectInsufficientScope(tenant, 'GET', `${url}/relations`);
    await expectInsufficientScope(tenant, 'DELETE', url);
    await expectInsufficientScope(tenant, 'POST', `${base(tenant)}/bundle-price-options`, {
      bpo_ids: [option.id],
    });

    const detached = await tenant.request('DELETE', url);
    expect(detached.statusCode, detached.body).toBe(204);
    expect((await tenant.request('GET', url)).statusCode).toBe(404);
    expect((await tenant.request('DELETE', url)).statusCode).toBe(404);
    expect((await tenant.request('GET', `${url}/relations`)).statusCode).toBe(404);
  });

  it('refuses bad attach input and other businesses', async () => {
    const tenant = await createTenant('Catalog');
    const other = await createTenant('Other');
    const product = await insertProduct(other);
    const foreign = await insertBundle(other, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const url = `${base(tenant)}/bundle-price-options`;
    for (const [body, field] of [
      [{}, 'bpo_ids'],
      [{ bpo_ids: [] }, 'bpo_ids'],
      [{ bpo_ids: ['x'] }, 'bpo_ids.0'],
      [{ bpo_ids: Array.from({ length: 101 }, (_, i) => i + 1) }, 'bpo_ids'],
      [{ bpo_ids: [foreign.priceOptions[0]!.id] }, 'bpo_ids'],
    ] as const) {
      const res = await tenant.request('POST', url, { body });
      expect(res.statusCode, JSON.stringify(body).slice(0, 40)).toBe(422);
      expect(res.json().errors[field], res.body).toBeDefined();
    }
    // Another business's store, and another business's attached option, are not found.
    await attach(other, [foreign.priceOptions[0]!.id]);
    expect(
      (await tenant.request('POST', `${base(other)}/bundle-price-options`, { body: { bpo_ids: [1] } }))
        .statusCode,
    ).toBe(404);
    const foreignUrl = `${base(other)}/bundle-price-options/${foreign.priceOptions[0]!.id}`;
    for (const [method, path] of [
      ['GET', foreignUrl],
      ['GET', `${foreignUrl}/relations`],
      ['DELETE', foreignUrl],
      ['GET', `${base(tenant)}/bundle-price-options/${foreign.priceOptions[0]!.id}`],
    ] as const) {
      expect((await tenant.request(method, path)).statusCode, `${method} ${path}`).toBe(404);
    }
    expect((await other.request('GET', foreignUrl)).statusCode).toBe(200);
  });
});

describe('getBusinessStoreVariant', () => {
  it('shows a listed variant with the store availability', async () => {
    const tenant = await createTenant('Catalog');
    const product = await insertProduct(tenant, {
      name: 'Kaos',
      isInventory: true,
      variants: [{ price: '111000', option1_value: 'XL', sku: 'KAOS-XL' }],
    });
    const variant = product.variants[0]!;
    await attachProductToStore(tenant, product.id);
    const url = `${base(tenant)}/variants/${variant.id}`;

    const empty = await tenant.request('GET', url);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json().availability).toEqual({
      available: false,
      available_qty: 0,
      stock_status: 'out_of_stock',
      warehouse_unique_id: null,
    });

    const main = await insertWarehouse(tenant, 'Utama');
    const spare = await insertWarehouse(tenant, 'Cadangan');
    await setStock(tenant, main.id, variant.id, 3);
    await setStock(tenant, spare.id, variant.id, 10);
    const res = await tenant.request('GET', url);
    expect(res.json()).toEqual({
      id: variant.id,
      uuid: variant.uuid,
      unique_id: variant.unique_id,
      name: 'XL',
      fullname: 'Kaos - XL',
      display: 'Kaos - XL',
      product_name: 'Kaos',
      item_type: 'physical',
      sku: 'KAOS-XL',
      option1_value: 'XL',
      option2_value: null,
      option3_value: null,
      price: '111000.00',
      price_bt: '111000.00',
      cogs: '0.00',
      cogs_bt: '0.00',
      reseller_price: '0.00',
      reseller_price_bt: '0.00',
      currency: 'IDR',
      weight: 500,
      pricing_type: 'one_time',
      interval: null,
      interval_count: null,
      validity_period: null,
      validity_period_unit: null,
      is_checked: true,
      is_editable: true,
      images: [],
      image_configs: {},
      self_file_urls: [],
      digital_product_files: [],
      metadata: {},
      product: {
        id: product.id,
        uuid: product.uuid,
        name: 'Kaos',
        display: 'Kaos',
        description: null,
        item_type: 'physical',
        is_inventory: true,
        is_multiple: false,
        is_product_sharing: false,
        option1_name: null,
        option2_name: null,
        option3_name: null,
        business: expect.objectContaining({ id: tenant.business.id, unique_id: tenant.business.unique_id }),
      },
      availability: {
        available: true,
        available_qty: 13,
        stock_status: 'in_stock',
        warehouse_unique_id: null,
      },
      created_at: expect.stringMatching(ISO),
      last_updated_at: expect.stringMatching(ISO),
    });

    // With a store warehouse only that warehouse's stock counts.
    const patch = await tenant.request('PATCH', base(tenant), { body: { warehouse_id: main.id } });
    expect(patch.statusCode, patch.body).toBe(200);
    for (const ref of [String(variant.id), variant.unique_id, variant.uuid]) {
      const byRef = await tenant.request('GET', `${base(tenant)}/variants/${ref}`);
      expect(byRef.statusCode, ref).toBe(200);
      expect(byRef.json().availability).toEqual({
        available: true,
        available_qty: 3,
        stock_status: 'low_stock',
        warehouse_unique_id: main.unique_id,
      });
    }
    await expectInsufficientScope(tenant, 'GET', url);
  });

  it('reports unlimited availability for untracked variants and 404 outside the store', async () => {
    const tenant = await createTenant('Catalog');
    const other = await createTenant('Other');
    const product = await insertProduct(tenant, { itemType: 'digital' });
    const unlisted = await insertProduct(tenant);
    await attachProductToStore(tenant, product.id);
    const res = await tenant.request('GET', `${base(tenant)}/variants/${product.variants[0]!.id}`);
    expect(res.json().availability).toEqual({
      available: true,
      available_qty: null,
      stock_status: 'in_stock',
      warehouse_unique_id: null,
    });
    for (const ref of [String(unlisted.variants[0]!.id), 'variant_nope', '0', '99999999999999999999']) {
      expect((await tenant.request('GET', `${base(tenant)}/variants/${ref}`)).statusCode, ref).toBe(404);
    }
    expect(
      (await other.request('GET', `${base(tenant)}/variants/${product.variants[0]!.id}`)).statusCode,
    ).toBe(404);
    const otherProduct = await insertProduct(other);
    await attachProductToStore(other, otherProduct.id);
    expect(
      (await tenant.request('GET', `${base(tenant)}/variants/${otherProduct.variants[0]!.id}`)).statusCode,
    ).toBe(404);
    expect(idsOf(await tenant.request('GET', `${base(tenant)}/products`))).toEqual([product.id]);
  });
});
