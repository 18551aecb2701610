import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTenant } from '../../helpers/tenants.ts';
import { ids, storefrontClient } from './storefront-client.ts';

type Get = (query: Record<string, string | number>) => Promise<LightMyRequestResponse>;

/** Walks three pages forwards and back again, checking the envelope at every step. */
async function walkPages(get: Get, search: string) {
  const all = await get({ search, page_size: 6 });
  expect(all.statusCode, all.body).toBe(200);
  expect(ids(all)).toHaveLength(6);

  const first = await get({ search, page_size: 2 });
  expect(first.json()).toMatchObject({
    has_next: true,
    has_previous: false,
    previous_cursor: null,
    page_size: 2,
  });
  const second = await get({ search, page_size: 2, next_cursor: first.json().next_cursor });
  expect(second.json()).toMatchObject({ has_next: true, has_previous: true, page_size: 2 });
  const third = await get({ search, page_size: 2, next_cursor: second.json().next_cursor });
  expect(third.json()).toMatchObject({ has_previous: true, page_size: 2 });
  expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(ids(all));

  const backToSecond = await get({ search, page_size: 2, previous_cursor: third.json().previous_cursor });
  expect(ids(backToSecond)).toEqual(ids(second));
  expect(backToSecond.json()).toMatchObject({ has_next: true, has_previous: true });
  const backToFirst = await get({
    search,
    page_size: 2,
    previous_cursor: backToSecond.json().previous_cursor,
  });
  expect(ids(backToFirst)).toEqual(ids(first));
  expect(backToFirst.json()).toMatchObject({ has_next: true, has_previous: false, previous_cursor: null });
  return { first, second };
}

function expectInvalidCursor(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json().error_code).toBe('invalid_cursor');
}

describe('location cursors', () => {
  it('page forwards and backwards on the business search', async () => {
    const tenant = await createTenant();
    await walkPages((query) => tenant.request('GET', '/v3/locations', { query }), 'cempaka');
  });

  it('page forwards and backwards on the storefront search', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    await walkPages((query) => storefront.get('/locations', query), 'cempaka');
  });

  it('reject forged cursors, cursors of another search and both cursors at once', async () => {
    const tenant = await createTenant();
    const get: Get = (query) => tenant.request('GET', '/v3/locations', { query });
    const first = await get({ search: 'cempaka', page_size: 2 });
    const cursor: string = first.json().next_cursor;
    const [payload] = cursor.split('.');

    expectInvalidCursor(await get({ search: 'cempaka', next_cursor: `${payload}.forged` }));
    const otherKeys = Buffer.from(JSON.stringify([0, 1])).toString('base64url');
    expectInvalidCursor(
      await get({ search: 'cempaka', next_cursor: `${otherKeys}.${cursor.split('.')[1]}` }),
    );
    expectInvalidCursor(await get({ search: 'jakarta', next_cursor: cursor }));
    expectInvalidCursor(await get({ next_cursor: cursor }));

    const both = await get({ search: 'cempaka', next_cursor: cursor, previous_cursor: cursor });
    expect(both.statusCode, both.body).toBe(400);
  });

  it('bind storefront cursors to the store and the list', async () => {
    const tenant = await createTenant();
    const other = await createTenant('Toko Lain');
    const storefront = await storefrontClient(tenant);
    const otherStorefront = await storefrontClient(other);

    const first = await storefront.get('/locations', { search: 'cempaka', page_size: 2 });
    const cursor: string = first.json().next_cursor;
    expect((await storefront.get('/locations', { search: 'cempaka', next_cursor: cursor })).statusCode).toBe(
      200,
    );
    expectInvalidCursor(await otherStorefront.get('/locations', { search: 'cempaka', next_cursor: cursor }));
    expectInvalidCursor(
      await storefront.get('/locations/subdistricts', { search: 'cempaka', next_cursor: cursor }),
    );
    expectInvalidCursor(
      await tenant.request('GET', '/v3/locations', { query: { search: 'cempaka', next_cursor: cursor } }),
    );

    const city = await storefront.get('/locations/subdistricts', { city_id: 3171, page_size: 3 });
    const cityCursor: string = city.json().next_cursor;
    expectInvalidCursor(
      await storefront.get('/locations/subdistricts', { city_id: 3172, next_cursor: cityCursor }),
    );
  });
});
