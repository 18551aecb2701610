import { describe, expect, it } from 'vitest';
import { createTenant, send } from '../../helpers/tenants.ts';
import { ids, type LocationJson, storefrontClient } from './storefront-client.ts';

describe('searchStorefrontLocations', () => {
  it('ranks the exact subdistrict first and finds it by urban name', async () => {
    const storefront = await storefrontClient(await createTenant());
    const res = await storefront.get('/locations', { search: 'Cempaka Putih' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data[0]).toMatchObject({
      id: 317105,
      display: 'Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta',
    });
    expect(res.json()).toMatchObject({ is_paginated: true, page_size: 25 });
    expect(ids(await storefront.get('/locations', { search: 'rawasari' }))).toContain(317105);
  });

  it('accepts page sizes up to 100', async () => {
    const storefront = await storefrontClient(await createTenant());
    const hundred = await storefront.get('/locations', { page_size: 100 });
    expect(hundred.statusCode, hundred.body).toBe(200);
    expect(hundred.json().data).toHaveLength(100);
    for (const page_size of [0, 101]) {
      const res = await storefront.get('/locations', { page_size });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().errors.page_size).toBeDefined();
    }
  });

  it("answers 404 Store not found to another store's key", async () => {
    const tenant = await createTenant();
    const stranger = await storefrontClient(await createTenant('Toko Lain'), tenant.store.unique_id);
    for (const path of [
      '/locations',
      '/locations/provinces',
      '/locations/cities',
      '/locations/subdistricts',
    ]) {
      const res = await stranger.get(path);
      expect(res.statusCode, `${path} ${res.body}`).toBe(404);
      expect(res.json().message).toBe('Store not found');
    }
    const codes = await stranger.get('/locations/317105/postal-codes');
    expect(codes.statusCode).toBe(404);
    expect(codes.json().message).toBe('Store not found');
    const keyless = await send(tenant.ctx, 'GET', `/v3/stores/${tenant.store.unique_id}/public/locations`);
    expect(keyless.statusCode).toBe(404);
  });
});

describe('listStorefrontLocationProvinces', () => {
  it('lists the 38 provinces by name and filters them by name', async () => {
    const storefront = await storefrontClient(await createTenant());
    const res = await storefront.get('/locations/provinces');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.is_paginated).toBe(false);
    expect(body.data).toHaveLength(38);
    expect(body.data).toContainEqual({
      id: 31,
      name: 'DKI Jakarta',
      province_id: 31,
      province_name: 'DKI Jakarta',
    });
    const names = body.data.map((province: { name: string }) => province.name);
    const byLowerName = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1);
    expect(names).toEqual([...names].sort(byLowerName));
    expect(names.indexOf('Daerah Istimewa Yogyakarta')).toBeLessThan(names.indexOf('DKI Jakarta'));

    const jawa = await storefront.get('/locations/provinces', { search: ' JAWA ' });
    expect(jawa.json().data.map((province: { name: string }) => province.name)).toEqual([
      'Jawa Barat',
      'Jawa Tengah',
      'Jawa Timur',
    ]);
  });
});

describe('listStorefrontLocationCities', () => {
  it('lists the cities of a province, given as a number or a numeric string', async () => {
    const storefront = await storefrontClient(await createTenant());
    const res = await storefront.get('/locations/cities', { province_id: '31' });
    expect(res.statusCode, res.body).toBe(200);
    const cities = res.json().data;
    expect(cities).toContainEqual({
      id: 3171,
      name: 'Kota Jakarta Pusat',
      province_id: 31,
      province_name: 'DKI Jakarta',
      city_id: 3171,
      city_name: 'Kota Jakarta Pusat',
    });
    for (const city of cities) expect(city.province_id).toBe(31);

    const searched = await storefront.get('/locations/cities', { province_id: 31, search: 'pusat' });
    expect(searched.json().data.map((city: { id: number }) => city.id)).toEqual([3171]);
  });

  it('lists every city without a province and rejects a non-numeric province_id', async () => {
    const storefront = await storefrontClient(await createTenant());
    const all = await storefront.get('/locations/cities');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().data.length).toBeGreaterThan(500);
    const unknown = await storefront.get('/locations/cities', { province_id: 99 });
    expect(unknown.json().data).toEqual([]);

    const bad = await storefront.get('/locations/cities', { province_id: 'abc' });
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().errors.province_id).toBeDefined();
  });
});

describe('listStorefrontLocationSubdistricts', () => {
  it('lists the subdistricts of a city, paginated', async () => {
    const storefront = await storefrontClient(await createTenant());
    const res = await storefront.get('/locations/subdistricts', { city_id: 3171 });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ is_paginated: true, has_next: false, page_size: 25 });
    expect(body.data).toContainEqual(
      expect.objectContaining({ id: 317105, subdistrict_name: 'Cempaka Putih' }),
    );
    for (const location of body.data as LocationJson[]) expect(location.city_id).toBe(3171);

    const page = await storefront.get('/locations/subdistricts', { city_id: '3171', page_size: 3 });
    expect(page.json()).toMatchObject({ has_next: true, page_size: 3 });
    expect(page.json().data).toHaveLength(3);
  });

  it('searches within the city and validates city_id', async () => {
    const storefront = await storefrontClient(await createTenant());
    const res = await storefront.get('/locations/subdistricts', { city_id: 3171, search: 'cempaka' });
    expect(res.statusCode, res.body).toBe(200);
    expect(ids(res)[0]).toBe(317105);
    for (const location of res.json().data as LocationJson[]) expect(location.city_id).toBe(3171);

    const bad = await storefront.get('/locations/subdistricts', { city_id: 'abc' });
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().errors.city_id).toBeDefined();
  });
});

describe('listStorefrontLocationPostalCodes', () => {
  it('lists the postal codes of a location, optionally by code prefix', async () => {
    const storefront = await storefrontClient(await createTenant());
    const res = await storefront.get('/locations/317105/postal-codes');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toContainEqual({
      postal_code: '10510',
      urban: 'Cempaka Putih Timur',
      location_id: 317105,
      id: expect.any(Number),
    });

    const prefixed = await storefront.get('/locations/317105/postal-codes', { search: '1057' });
    expect(prefixed.json()).toEqual({
      data: [{ postal_code: '10570', urban: 'Rawasari', location_id: 317105, id: expect.any(Number) }],
      is_paginated: false,
    });
    const none = await storefront.get('/locations/317105/postal-codes', { search: '9' });
    expect(none.json().data).toEqual([]);
  });

  it('answers 404 for an unknown location', async () => {
    const storefront = await storefrontClient(await createTenant());
    const res = await storefront.get('/locations/999999/postal-codes');
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().message).toBe('Location not found');
  });
});

describe('the delivery-area picker as storefront clients walk it', () => {
  type Json = Record<string, unknown>;
  const numberOr = (...values: unknown[]) => values.find((value) => typeof value === 'number') ?? null;

  it('goes province -> city -> subdistrict -> postal code on the names clients read', async () => {
    const storefront = await storefrontClient(await createTenant());
    // Provinces by name; the client takes `province_id` (else a RajaOngkir `ro_province_id`).
    const provinces: Json[] = (await storefront.get('/locations/provinces')).json().data;
    const jakarta = provinces.find((province) => province.province_name === 'DKI Jakarta');
    const provinceId = numberOr(jakarta?.province_id, jakarta?.ro_province_id);
    expect(provinceId).toBe(31);

    // Cities of that province by `city_name`, opened by `city_id`.
    const cities: Json[] = (await storefront.get(`/locations/cities?province_id=${provinceId}`)).json().data;
    const cityNames = [...new Set(cities.map((city) => city.city_name as string))].sort();
    expect(cityNames).toContain('Kota Jakarta Pusat');
    const pusat = cities.find((city) => city.city_name === 'Kota Jakarta Pusat');
    const cityId = numberOr(pusat?.city_id, pusat?.ro_city_id);
    expect(cityId).toBe(3171);

    // Subdistricts `{id, city_id, name}` plus the location fields the chosen one is shown with.
    const subdistricts: Json[] = (await storefront.get(`/locations/subdistricts?city_id=${cityId}`)).json()
      .data;
    expect(subdistricts.length).toBeGreaterThan(0);
    for (const subdistrict of subdistricts) {
      expect(subdistrict).toMatchObject({
        id: expect.any(Number),
        city_id: 3171,
        name: subdistrict.subdistrict_name,
        city_name: 'Kota Jakarta Pusat',
        province_name: 'DKI Jakarta',
        display: `${subdistrict.subdistrict_name}, Kota Jakarta Pusat, DKI Jakarta`,
      });
    }
    const cempaka = subdistricts.find((subdistrict) => subdistrict.name === 'Cempaka Putih');
    expect(cempaka?.id).toBe(317105);

    // Postal codes of the chosen subdistrict, listed by `id` with the `postal_code` to send.
    const codes: Json[] = (await storefront.get(`/locations/${cempaka?.id}/postal-codes`)).json().data;
    expect(codes.map((code) => code.postal_code)).toContain('10510');
    const keys = codes.map((code) => code.id);
    for (const key of keys) expect(key).toEqual(expect.any(Number));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
