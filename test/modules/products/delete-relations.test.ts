import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { attachProductToStore, insertBundle, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { createProduct, expectInsufficientScope, expectNotFound } from './helpers.ts';

const shirt = {
  name: 'Kaos Polos',
  option1_name: 'Warna',
  is_inventory: true,
  variants: [
    { price: '100000', weight: 200, option1_value: 'Merah' },
    { price: '100000', weight: 200, option1_value: 'Biru' },
  ],
};

describe('deleteProduct', () => {
  it('deletes the product with its variants, stock and store links (204)', async () => {
    const tenant = await createTenant('Delete');
    const product = await createProduct(tenant, shirt);
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, product.variants[0].id, 3);
    await attachProductToStore(tenant, product.id);
    const res = await tenant.request('DELETE', `/v3/products/${product.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expectNotFound(await tenant.request('GET', `/v3/products/${product.id}`));
    expectNotFound(await tenant.request('GET', `/v3/variants/${product.variants[0].id}`));
    const db = tenant.ctx.database.db;
    const variantIds = product.variants.map((v: { id: number }) => v.id);
    expect(await db.selectFrom('variants').select('id').where('id', 'in', variantIds).execute()).toEqual([]);
    expect(
      await db.selectFrom('warehouse_stocks').select('qty').where('variant_id', 'in', variantIds).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('store_products').select('store_id').where('product_id', '=', product.id).execute(),
    ).toEqual([]);
    // Deleting again: it is gone.
    expectNotFound(await tenant.request('DELETE', `/v3/products/${product.id}`));
  });

  it('refuses while a bundle contains one of its variants (409 naming the bundle)', async () => {
    const tenant = await createTenant('Delete');
    const product = await createProduct(tenant, shirt);
    const bundle = await insertBundle(tenant, [{ variantId: product.variants[1].id, quantity: 1 }]);
    const res = await tenant.request('DELETE', `/v3/products/${product.id}`);
    expect(res.statusCode, res.body).toBe(409);
    const body = res.json();
    expect(body).toMatchObject({
      error_code: 'state_conflict',
      errors: { blocked_by: [expect.stringContaining(`(id ${bundle.id})`)] },
    });
    expect(body.message).toContain('Kaos Polos');
    expect((await tenant.request('GET', `/v3/products/${product.id}`)).statusCode).toBe(200);
    // Once the bundle is gone the product can go.
    await tenant.ctx.database.db.deleteFrom('bundles').where('id', '=', bundle.id).execute();
    expect((await tenant.request('DELETE', `/v3/products/${product.id}`)).statusCode).toBe(204);
  });

  it('refuses while customers still hold access to one of its variants, until that access expires', async () => {
    const tenant = await createTenant('Delete');
    const product = await createProduct(tenant, shirt);
    const db = tenant.ctx.database.db;
    const customer = await db
      .insertInto('customers')
      .values({ business_id: tenant.business.id, name: 'Budi', email: `budi-${Date.now()}@example.test` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const access = await db
      .insertInto('variant_accesses')
      .values({
        business_id: tenant.business.id,
        customer_id: customer.id,
        variant_id: product.variants[0].id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await tenant.request('DELETE', `/v3/products/${product.id}`);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().errors.blocked_by).toEqual([
      `1 customer(s) still have access to variant ${product.variants[0].id}`,
    ]);
    await db
      .updateTable('variant_accesses')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', access.id)
      .execute();
    expect((await tenant.request('DELETE', `/v3/products/${product.id}`)).statusCode).toBe(204);
  });

  it('answers 404 for another business product and bad ids; requires product:delete', async () => {
    const tenant = await createTenant('Delete');
    const other = await createTenant('Delete Other');
    const theirs = await createProduct(other);
    expectNotFound(await tenant.request('DELETE', `/v3/products/${theirs.id}`));
    expectNotFound(await tenant.request('DELETE', `/v3/products/${theirs.uuid}`));
    expectNotFound(await tenant.request('DELETE', '/v3/products/not-an-id'));
    expect((await other.request('GET', `/v3/products/${theirs.id}`)).statusCode).toBe(200);
    const mine = await createProduct(tenant);
    const key = await tenant.restrictedKey(['product:update']);
    expectInsufficientScope(await tenant.request('DELETE', `/v3/products/${mine.id}`, { key }));
  });
});

describe('getProductRelations', () => {
  it('lists variants, stores and bundles from the rows that link them', async () => {
    const tenant = await createTenant('Relations');
    const product = await createProduct(tenant, shirt);
    const second = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Toko Kedua' });
    await attachProductToStore(tenant, product.id);
    await attachProductToStore(tenant, product.id, second.id);
    const bundle = await insertBundle(
      tenant,
      [{ variantId: product.variants[0].id, quantity: 2 }],
      [{ name: 'Hemat' }, { name: 'Grosir' }],
    );
    // A bundle of another product's variant is not related.
    const unrelated = await createProduct(tenant);
    await insertBundle(tenant, [{ variantId: unrelated.variants[0].id, quantity: 1 }]);
    await tenant.ctx.database.db
      .insertInto('store_bundle_price_options')
      .values({
        store_id: tenant.store.id,
        bundle_price_option_id: bundle.priceOptions[0]!.id,
        business_id: tenant.business.id,
      })
      .execute();

    const res = await tenant.request('GET', `/v3/products/${product.id}/relations`);
    expect(res.statusCode, res.body).toBe(200);
    const business = {
      id: tenant.business.id,
      unique_id: tenant.business.unique_id,
      username: tenant.business.username,
      account_holder: tenant.business.account_holder,
      email: expect.any(String),
      phone: null,
    };
    const store = {
      id: tenant.store.id,
      name: tenant.store.name,
      unique_id: tenant.store.unique_id,
      business,
    };
    expect(res.json()).toEqual({
      id: product.id,
      name: 'Kaos Polos',
      variants: [
        {
          id: product.variants[0].id,
          name: 'Kaos Polos - Merah',
          product_name: 'Kaos Polos',
          item_type: 'physical',
        },
        {
          id: product.variants[1].id,
          name: 'Kaos Polos - Biru',
          product_name: 'Kaos Polos',
          item_type: 'physical',
        },
      ],
      stores: [store, { id: second.id, name: 'Toko Kedua', unique_id: second.unique_id, business }],
      bundles: [
        {
          id: bundle.id,
          name: expect.any(String),
          business,
          bundle_price_options: bundle.priceOptions.map((o, i) => ({
            id: o.id,
            unique_id: o.unique_id,
            name: ['Hemat', 'Grosir'][i],
          })),
          stores: [store],
          pages: { all: [], will_unpublish: [] },
        },
      ],
      pages: { all: [], will_unpublish: [] },
    });
  });

  it('answers 404 across businesses and requires product:read', async () => {
    const tenant = await createTenant('Relations');
    const other = await createTenant('Relations Other');
    const theirs = await createProduct(other);
    expectNotFound(await tenant.request('GET', `/v3/products/${theirs.id}/relations`));
    expectNotFound(await tenant.request('GET', '/v3/products/x/relations'));
    const key = await tenant.restrictedKey(['product:list']);
    const mine = await createProduct(tenant);
    expectInsufficientScope(await tenant.request('GET', `/v3/products/${mine.id}/relations`, { key }));
  });
});

describe('getVariant', () => {
  it('reads a variant by id or unique_id with its product', async () => {
    const tenant = await createTenant('Variant');
    const product = await createProduct(tenant, { ...shirt, public_name: 'Kaos Premium' });
    const warehouse = await insertWarehouse(tenant);
    const other = await insertWarehouse(tenant, 'Gudang Dua');
    await setStock(tenant, warehouse.id, product.variants[1].id, 4);
    await setStock(tenant, other.id, product.variants[1].id, 5);
    const res = await tenant.request('GET', `/v3/variants/${product.variants[1].id}`);
    expect(res.statusCode, res.body).toBe(200);
    const variant = res.json();
    const { variants_count: _c, ...rest } = product;
    expect(variant).toEqual({
      ...product.variants[1],
      available_qty: 9,
      display: 'Kaos Premium - Biru',
      image_configs: {},
      product: {
        id: rest.id,
        uuid: rest.uuid,
        name: 'Kaos Polos',
        display: 'Kaos Premium',
        item_type: 'physical',
        item_type_name: 'Physical',
        is_inventory: true,
        is_multiple: true,
        is_product_sharing: false,
        option1_name: 'Warna',
        option2_name: null,
        option3_name: null,
        description: null,
        business: product.business,
      },
    });
    const byUniqueId = await tenant.request('GET', `/v3/variants/${product.variants[1].unique_id}`);
    expect(byUniqueId.json()).toEqual(variant);
    // The product now shows the warehouses holding its stock.
    const withStock = (await tenant.request('GET', `/v3/products/${product.id}`)).json();
    expect(withStock.warehouses).toEqual([
      { id: warehouse.id, unique_id: warehouse.unique_id, name: 'Gudang Utama' },
      { id: other.id, unique_id: other.unique_id, name: 'Gudang Dua' },
    ]);
  });

  it('answers 404 across businesses and for bad ids; requires product:read', async () => {
    const tenant = await createTenant('Variant');
    const other = await createTenant('Variant Other');
    const theirs = await createProduct(other);
    expectNotFound(await tenant.request('GET', `/v3/variants/${theirs.variants[0].id}`));
    expectNotFound(await tenant.request('GET', `/v3/variants/${theirs.variants[0].unique_id}`));
    for (const id of ['abc', 'variant_', '99999999999999999999', '0']) {
      expectNotFound(await tenant.request('GET', `/v3/variants/${id}`));
    }
    const mine = await createProduct(tenant);
    const key = await tenant.restrictedKey(['product:list']);
    expectInsufficientScope(await tenant.request('GET', `/v3/variants/${mine.variants[0].id}`, { key }));
  });
});
