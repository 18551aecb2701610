import { describe, expect, it } from 'vitest';
import { createTenant, send } from '../../helpers/tenants.ts';
import { ids } from './storefront-client.ts';

const CEMPAKA_PUTIH = {
  id: 317105,
  province_id: 31,
  province_name: 'DKI Jakarta',
  city_id: 3171,
  city_name: 'Kota Jakarta Pusat',
  subdistrict_name: 'Cempaka Putih',
  display: 'Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta',
  name: 'Cempaka Putih',
};

describe('listLocations', () => {
  it('ranks the subdistrict named exactly like the search first', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('GET', '/v3/locations', { query: { search: 'Cempaka Putih' } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.data[0]).toEqual(CEMPAKA_PUTIH);
    expect(body).toMatchObject({ is_paginated: true, has_previous: false, page_size: 25 });
  });

  it('finds a subdistrict by one of its urban (kelurahan) names', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('GET', '/v3/locations', { query: { search: 'Rawasari' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(ids(res)).toContain(317105);
  });

  it('requires every word, so more words narrow the result', async () => {
    const tenant = await createTenant();
    const broad = await tenant.request('GET', '/v3/locations', { query: { search: 'cempaka putih' } });
    const narrow = await tenant.request('GET', '/v3/locations', {
      query: { search: 'cempaka putih jakarta' },
    });
    expect(narrow.statusCode, narrow.body).toBe(200);
    expect(ids(narrow)[0]).toBe(317105);
    expect(ids(broad).length).toBeGreaterThan(ids(narrow).length);
    for (const location of narrow.json().data) expect(location.display).toMatch(/Jakarta/);
  });

  it('matches LIKE wildcards in the search literally', async () => {
    const tenant = await createTenant();
    for (const search of ['%', 'k_ta']) {
      const res = await tenant.request('GET', '/v3/locations', { query: { search } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data, search).toEqual([]);
    }
  });

  it('lists every location by id without a search', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('GET', '/v3/locations');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ has_next: true, has_previous: false, previous_cursor: null, page_size: 25 });
    expect(body.data).toHaveLength(25);
    expect(ids(res)).toEqual([...ids(res)].sort((a, b) => a - b));
  });

  it('validates page_size and the length of the search', async () => {
    const tenant = await createTenant();
    for (const query of [{ page_size: 0 }, { page_size: 26 }, { page_size: 'ten' }]) {
      const res = await tenant.request('GET', '/v3/locations', { query });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().errors.page_size).toBeDefined();
    }
    const long = await tenant.request('GET', '/v3/locations', { query: { search: 'a'.repeat(201) } });
    expect(long.statusCode, long.body).toBe(422);
    expect(long.json().errors.search).toBeDefined();
  });

  it('requires a business API key with the order:create scope', async () => {
    const tenant = await createTenant();
    const anonymous = await send(tenant.ctx, 'GET', '/v3/locations');
    expect(anonymous.statusCode).toBe(401);

    const readOnly = await tenant.restrictedKey(['store:read']);
    const denied = await tenant.request('GET', '/v3/locations', { key: readOnly });
    expect(denied.statusCode, denied.body).toBe(403);
    expect(denied.json().error_code).toBe('insufficient_scope');
    const deniedCodes = await tenant.request('GET', '/v3/locations/317105/postal-codes', { key: readOnly });
    expect(deniedCodes.statusCode, deniedCodes.body).toBe(403);

    const orderKey = await tenant.restrictedKey(['order:create']);
    const allowed = await tenant.request('GET', '/v3/locations', { key: orderKey, query: { page_size: 1 } });
    expect(allowed.statusCode, allowed.body).toBe(200);
  });
});

describe('listLocationPostalCodes', () => {
  it('lists the postal codes with their urban names, ordered by code', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('GET', '/v3/locations/317105/postal-codes');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.is_paginated).toBe(false);
    expect(body.data).toContainEqual({
      postal_code: '10510',
      urban: 'Cempaka Putih Timur',
      location_id: 317105,
      id: expect.any(Number),
    });
    expect(body.data).toContainEqual({
      postal_code: '10570',
      urban: 'Rawasari',
      location_id: 317105,
      id: expect.any(Number),
    });
    const codes = body.data.map((row: { postal_code: string }) => row.postal_code);
    expect(codes).toEqual([...codes].sort());
  });

  it('answers 404 for an unknown location and 422 for a malformed id', async () => {
    const tenant = await createTenant();
    const unknown = await tenant.request('GET', '/v3/locations/999999/postal-codes');
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(unknown.json().message).toBe('Location not found');
    for (const id of ['abc', '99999999999']) {
      const malformed = await tenant.request('GET', `/v3/locations/${id}/postal-codes`);
      expect(malformed.statusCode, malformed.body).toBe(422);
      expect(malformed.json().errors.location_id).toBeDefined();
    }
  });
});
