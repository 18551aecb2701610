import { beforeAll, describe, expect, it } from 'vitest';
import { insertProduct, setStock } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { PLACES, setStoreWarehouse, warehouseAt, warmUp } from './fixtures.ts';

beforeAll(warmUp);

const URL = '/v3/shipping-costs/search-warehouse';

function search(tenant: Tenant, body: Record<string, unknown>) {
  return tenant.request('POST', URL, { body: { store_id: tenant.store.id, ...body } });
}

function warehouseIds(res: { json(): { data: Array<{ warehouse: { id: number } }> } }) {
  return res.json().data.map((r) => r.warehouse.id);
}

describe('searchWarehouses', () => {
  it('answers the warehouses holding the stock, nearest to the destination first', async () => {
    const tenant = await createTenant('Cari gudang');
    const product = await insertProduct(tenant, { isInventory: true });
    const variant = product.variants[0]!;
    const bandung = await warehouseAt(tenant, PLACES.bandung, {
      name: 'Gudang Bandung',
      address: 'Jl. Braga 1',
    });
    const tebet = await warehouseAt(tenant, PLACES.tebet, { name: 'Gudang Tebet' });
    const makassar = await warehouseAt(tenant, PLACES.makassar);
    const gambir = await warehouseAt(tenant, PLACES.gambir);
    await setStock(tenant, bandung.id, variant.id, 5);
    await setStock(tenant, tebet.id, variant.id, 5);
    await setStock(tenant, makassar.id, variant.id, 5);
    await setStock(tenant, gambir.id, variant.id, 1);

    const res = await search(tenant, {
      destination_id: PLACES.kemayoran,
      variants: [{ variant_id: variant.id, qty: 2 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    // Gambir shares the city but holds one unit; Tebet is in the province, Bandung on the island.
    expect(warehouseIds(res)).toEqual([tebet.id, bandung.id, makassar.id]);
    expect(res.json().data[1]).toEqual({
      destination: {
        id: PLACES.kemayoran,
        province_id: 31,
        province_name: 'DKI Jakarta',
        city_id: 3171,
        city_name: 'Kota Jakarta Pusat',
        subdistrict_name: 'Kemayoran',
        display: expect.stringContaining('Kemayoran'),
      },
      distance_km: null,
      warehouse: {
        id: bandung.id,
        unique_id: bandung.unique_id,
        name: 'Gudang Bandung',
        business: { id: tenant.business.id, username: tenant.business.username },
        warehouse_address: {
          id: bandung.id,
          address: 'Jl. Braga 1',
          location: PLACES.bandung,
          postal_code: '10110',
          province: 'Jawa Barat',
          city: 'Kota Bandung',
          subdistrict: 'Sukasari',
        },
      },
      warehouse_partner: null,
    });
    expect(res.json().is_paginated).toBe(false);
  });

  it('adds up repeated lines, ignores untracked products and needs stock for every tracked one', async () => {
    const tenant = await createTenant('Cari gudang stok');
    const tracked = (await insertProduct(tenant, { isInventory: true })).variants[0]!;
    const untracked = (await insertProduct(tenant, { isInventory: false })).variants[0]!;
    const first = await warehouseAt(tenant, PLACES.tebet);
    const second = await warehouseAt(tenant, PLACES.tebet);
    await setStock(tenant, first.id, tracked.id, 3);
    await setStock(tenant, second.id, tracked.id, 4);

    const onlyUntracked = await search(tenant, {
      destination_id: PLACES.tebet,
      variants: [{ variant_id: untracked.id, qty: 500 }],
    });
    expect(warehouseIds(onlyUntracked)).toEqual([first.id, second.id]);

    const repeated = await search(tenant, {
      destination_id: PLACES.tebet,
      variants: [
        { variant_id: tracked.id, qty: 2 },
        { variant_id: untracked.id, qty: 1 },
        { variant_id: tracked.id, qty: 2 },
      ],
    });
    expect(warehouseIds(repeated)).toEqual([second.id]);

    const tooMany = await search(tenant, {
      destination_id: PLACES.tebet,
      variants: [{ variant_id: tracked.id, qty: 5 }],
    });
    expect(tooMany.statusCode).toBe(200);
    expect(tooMany.json().data).toEqual([]);
  });

  it("ships only from the store's own warehouse when it has one, and never from inactive or unlocated ones", async () => {
    const tenant = await createTenant('Cari gudang toko');
    const variant = (await insertProduct(tenant)).variants[0]!;
    const near = await warehouseAt(tenant, PLACES.gambir);
    const far = await warehouseAt(tenant, PLACES.makassar);
    await warehouseAt(tenant, PLACES.gambir, { isActive: false });
    await warehouseAt(tenant, null);
    const body = { destination_id: PLACES.gambir, variants: [{ variant_id: variant.id, qty: 1 }] };
    expect(warehouseIds(await search(tenant, body))).toEqual([near.id, far.id]);
    await setStoreWarehouse(tenant, far.id);
    expect(warehouseIds(await search(tenant, body))).toEqual([far.id]);
  });

  it('accepts the order being edited as a UUID or a legacy number', async () => {
    const tenant = await createTenant('Cari gudang order');
    const variant = (await insertProduct(tenant)).variants[0]!;
    await warehouseAt(tenant, PLACES.gambir);
    for (const orderId of ['0192f3a4-5b6c-7d8e-9f01-23456789abcd', 123, '456']) {
      const res = await search(tenant, {
        destination_id: PLACES.gambir,
        order_id: orderId,
        variants: [{ variant_id: variant.id, qty: 1 }],
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const bad = await search(tenant, {
      destination_id: PLACES.gambir,
      order_id: 'order-1',
      variants: [{ variant_id: variant.id, qty: 1 }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toHaveProperty('order_id');
  });

  it('rejects bad input, foreign variants and foreign stores', async () => {
    const tenant = await createTenant('Cari gudang 422');
    const other = await createTenant('Cari gudang lain');
    const mine = (await insertProduct(tenant)).variants[0]!;
    const theirs = (await insertProduct(other)).variants[0]!;

    const missing = await tenant.request('POST', URL, { body: {} });
    expect(missing.statusCode).toBe(422);
    expect(Object.keys(missing.json().errors).sort()).toEqual(['destination_id', 'store_id', 'variants']);

    const badLines = await search(tenant, {
      destination_id: PLACES.gambir,
      variants: [{ variant_id: mine.id, qty: 0 }, { qty: 1 }],
    });
    expect(badLines.statusCode).toBe(422);
    expect(badLines.json().errors).toMatchObject({
      'variants.0.qty': expect.any(Array),
      'variants.1.variant_id': ['is required'],
    });
    const empty = await search(tenant, { destination_id: PLACES.gambir, variants: [] });
    expect(empty.json().errors).toHaveProperty('variants');

    const foreignVariant = await search(tenant, {
      destination_id: PLACES.gambir,
      variants: [
        { variant_id: mine.id, qty: 1 },
        { variant_id: theirs.id, qty: 1 },
      ],
    });
    expect(foreignVariant.statusCode).toBe(422);
    expect(foreignVariant.json().errors).toEqual({
      'variants.1.variant_id': ['is not a variant of this business'],
    });

    const unknownPlace = await search(tenant, {
      destination_id: 999999,
      variants: [{ variant_id: mine.id, qty: 1 }],
    });
    expect(unknownPlace.statusCode).toBe(422);
    expect(unknownPlace.json().errors).toEqual({ destination_id: ['is not a known location'] });

    const foreignStore = await tenant.request('POST', URL, {
      body: {
        store_id: other.store.id,
        destination_id: PLACES.gambir,
        variants: [{ variant_id: mine.id, qty: 1 }],
      },
    });
    expect(foreignStore.statusCode).toBe(404);
    expect(foreignStore.json()).toMatchObject({ error_code: 'not_found', message: 'Store not found' });
  });

  it('needs the order:create scope', async () => {
    const tenant = await createTenant('Cari gudang scope');
    const key = await tenant.restrictedKey(['product:list']);
    const res = await tenant.request('POST', URL, {
      key,
      body: {
        store_id: tenant.store.id,
        destination_id: PLACES.gambir,
        variants: [{ variant_id: 1, qty: 1 }],
      },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('insufficient_scope');
  });
});
