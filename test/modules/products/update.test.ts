import { describe, expect, it } from 'vitest';
import { insertBundle } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import {
  createProduct,
  expectInsufficientScope,
  expectInvalid,
  expectNotFound,
  setTaxRate,
} from './helpers.ts';

const shirt = {
  name: 'Kaos Polos',
  item_type: 'physical',
  option1_name: 'Warna',
  variants: [
    { price: '100000', weight: 200, option1_value: 'Merah', sku: 'M' },
    { price: '100000', weight: 200, option1_value: 'Biru', sku: 'B' },
  ],
};

describe('getProduct', () => {
  it('reads by numeric id and by uuid; another business gets 404', async () => {
    const tenant = await createTenant('Get');
    const product = await createProduct(tenant, shirt);
    const byId = await tenant.request('GET', `/v3/products/${product.id}`);
    expect(byId.statusCode, byId.body).toBe(200);
    expect(byId.json()).toEqual(product);
    expect((await tenant.request('GET', `/v3/products/${product.uuid.toUpperCase()}`)).json()).toEqual(
      product,
    );
    const other = await createTenant('Get Other');
    expectNotFound(await other.request('GET', `/v3/products/${product.id}`));
    expectNotFound(await other.request('GET', `/v3/products/${product.uuid}`));
    for (const id of ['abc', '0', '99999999999999999999', '12.5', '00000000-0000-4000-8000-000000000000']) {
      expectNotFound(await tenant.request('GET', `/v3/products/${id}`));
    }
  });

  it('requires product:read', async () => {
    const tenant = await createTenant('Get');
    const product = await createProduct(tenant);
    const key = await tenant.restrictedKey(['product:list']);
    expectInsufficientScope(await tenant.request('GET', `/v3/products/${product.id}`, { key }));
  });
});

describe('updateProduct', () => {
  it('updates fields, keeps what is left out, and recomputes before-tax prices', async () => {
    const tenant = await createTenant('Update');
    const product = await createProduct(tenant, { ...shirt, description: 'lama', labels: ['a'] });
    await setTaxRate(tenant, '0.11');
    const res = await tenant.request('PATCH', `/v3/products/${product.id}`, {
      body: {
        name: 'Kaos Polos Baru',
        item_type: 'physical',
        public_name: 'Kaos',
        slug: 'kaos-baru',
        labels: ['b'],
        taxonomy_id: 212,
        is_inventory: true,
        variants: [
          { id: product.variants[1].id, price: '111000', weight: 250, option1_value: 'Biru Tua' },
          { price: '55500', weight: 100, option1_value: 'Hijau' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json();
    expect(updated).toMatchObject({
      id: product.id,
      uuid: product.uuid,
      name: 'Kaos Polos Baru',
      display: 'Kaos',
      slug: 'kaos-baru',
      description: 'lama',
      labels: [{ name: 'b' }],
      taxonomy: { id: 212 },
      is_inventory: true,
      variants_count: 2,
    });
    expect(updated.variants).toEqual([
      expect.objectContaining({
        id: product.variants[1].id,
        unique_id: product.variants[1].unique_id,
        name: 'Kaos Polos Baru - Biru Tua',
        option1_value: 'Biru Tua',
        sku: 'B',
        price: '111000.00',
        price_bt: '100000.00',
        weight: 250,
        available_qty: 0,
      }),
      expect.objectContaining({ option1_value: 'Hijau', price: '55500.00', price_bt: '50000.00', sku: null }),
    ]);
    expect(updated.variants[1].id).not.toBe(product.variants[0].id);
    // The left-out variant is gone.
    expectNotFound(await tenant.request('GET', `/v3/variants/${product.variants[0].id}`));
    expect((await tenant.request('GET', `/v3/products/${product.id}`)).json()).toEqual(updated);
  });

  it('leaves variants alone when none are sent, but checks them against new options', async () => {
    const tenant = await createTenant('Update');
    const product = await createProduct(tenant, shirt);
    const res = await tenant.request('PATCH', `/v3/products/${product.id}`, {
      body: { name: 'Kaos', item_type: 'physical', description: 'baru' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().variants.map((v: { id: number }) => v.id)).toEqual(
      product.variants.map((v: { id: number }) => v.id),
    );
    // Dropping the option would leave two variants with option values and no option.
    expectInvalid(
      await tenant.request('PATCH', `/v3/products/${product.id}`, {
        body: { name: 'Kaos', item_type: 'physical', option1_name: null },
      }),
      'variants',
    );
    // Turning it into a subscription would need recurring variants.
    expectInvalid(
      await tenant.request('PATCH', `/v3/products/${product.id}`, {
        body: { name: 'Kaos', item_type: 'subscription' },
      }),
      'variants',
    );
  });

  it('removes variants marked is_deleted and accepts the contract name variant_id', async () => {
    const tenant = await createTenant('Update');
    const product = await createProduct(tenant, shirt);
    const [merah, biru] = product.variants;
    const res = await tenant.request('PATCH', `/v3/products/${product.id}`, {
      body: {
        ...shirt,
        variants: [
          { variant_id: merah.id, price: '90000', weight: 200 },
          { variant_id: biru.id, price: '90000', weight: 200, is_deleted: true },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().variants).toEqual([
      expect.objectContaining({ id: merah.id, option1_value: 'Merah', price: '90000.00' }),
    ]);
  });

  it('refuses to remove a variant a bundle contains, naming the bundle (409)', async () => {
    const tenant = await createTenant('Update');
    const product = await createProduct(tenant, shirt);
    const [merah, biru] = product.variants;
    const bundle = await insertBundle(tenant, [{ variantId: biru.id, quantity: 2 }]);
    const res = await tenant.request('PATCH', `/v3/products/${product.id}`, {
      body: { ...shirt, variants: [{ id: merah.id, price: '1', weight: 1 }] },
    });
    expect(res.statusCode, res.body).toBe(409);
    const body = res.json();
    expect(body.error_code).toBe('state_conflict');
    expect(body.message).toContain(`(id ${bundle.id})`);
    expect(body.errors.blocked_by).toHaveLength(1);
    // Nothing changed.
    const after = (await tenant.request('GET', `/v3/products/${product.id}`)).json();
    expect(after.variants.map((v: { id: number }) => v.id)).toEqual([merah.id, biru.id]);
    expect(after.variants[0].price).toBe('100000.00');
  });

  it('answers 422 for unknown variant ids, duplicates, bad fields and a taken slug', async () => {
    const tenant = await createTenant('Update');
    const product = await createProduct(tenant, shirt);
    const taken = await createProduct(tenant, { name: 'Lain' });
    const [merah, biru] = product.variants;
    const patch = (body: Record<string, unknown>) =>
      tenant.request('PATCH', `/v3/products/${product.id}`, { body: { ...shirt, ...body } });
    const otherProductVariant = taken.variants[0].id;
    expectInvalid(
      await patch({ variants: [{ id: otherProductVariant, price: '1', weight: 1, option1_value: 'X' }] }),
      'variants.0.id',
    );
    expectInvalid(
      await patch({
        variants: [
          { id: merah.id, price: '1', weight: 1 },
          { id: merah.id, price: '1', weight: 1 },
        ],
      }),
      'variants.1.id',
    );
    expectInvalid(
      await patch({ variants: [{ id: merah.id, variant_id: biru.id, price: '1', weight: 1 }] }),
      'variants.0.id',
    );
    expectInvalid(
      await patch({
        variants: [
          { id: merah.id, price: '1', weight: 1, option1_value: 'Biru' },
          { id: biru.id, price: '1', weight: 1 },
        ],
      }),
      'variants.1.option1_value',
    );
    expectInvalid(await patch({ slug: taken.slug }), 'slug');
    expectInvalid(await patch({ name: undefined }), 'name');
    expectInvalid(await patch({ item_type: undefined }), 'item_type');
    expectInvalid(await patch({ taxonomy_id: 123456789 }), 'taxonomy_id');
    expectInvalid(await patch({ variants: [{ id: merah.id, price: '1' }] }), 'variants.0.weight');
    // Keeping its own slug is fine.
    expect((await patch({ slug: product.slug })).statusCode).toBe(200);
  });

  it('answers 404 for another business product and bad ids; requires product:update', async () => {
    const tenant = await createTenant('Update');
    const other = await createTenant('Update Other');
    const product = await createProduct(other);
    const body = { name: 'x', item_type: 'physical' };
    expectNotFound(await tenant.request('PATCH', `/v3/products/${product.id}`, { body }));
    expectNotFound(await tenant.request('PATCH', '/v3/products/nope', { body }));
    const key = await tenant.restrictedKey(['product:read']);
    const own = await createProduct(tenant);
    expectInsufficientScope(await tenant.request('PATCH', `/v3/products/${own.id}`, { body, key }));
    // The other business's product is untouched.
    expect((await other.request('GET', `/v3/products/${product.id}`)).json().name).toBe(product.name);
  });
});
