import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTestContext } from '../../helpers/app.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  courseVariant,
  expectInsufficientScope,
  expectInvalid,
  expectNotFound,
  grantAccess,
  ISO,
  insertCustomer,
  UUID,
} from './fixtures.ts';

// The worker's app boots in the first hook (hook timeout), not inside the first test.
beforeAll(async () => {
  await getTestContext();
});

const customersUrl = (variantId: number | string) => `/v3/variants/${variantId}/customers`;
const ids = (res: LightMyRequestResponse) => res.json().data.map((c: { id: number }) => c.id);

/** A course variant with `count` customers holding access, returned newest (highest id) first. */
async function variantWithCustomers(tenant: Tenant, count: number) {
  const variant = await courseVariant(tenant);
  const customers = [];
  for (let i = 0; i < count; i++) {
    const customer = await insertCustomer(tenant);
    await grantAccess(tenant, customer.id, variant.id);
    customers.push(customer);
  }
  return { variant, customerIds: customers.map((c) => c.id).reverse() };
}

describe('listVariantCustomers', () => {
  it('lists customers with access, with the exact shape', async () => {
    const tenant = await createTenant('Pelanggan');
    const variant = await courseVariant(tenant);
    const customer = await insertCustomer(tenant, {
      name: 'Siti Aminah',
      email: 'siti@example.test',
      phone: '0812',
    });
    const expiresAt = new Date(Date.now() + 86_400_000);
    await grantAccess(tenant, customer.id, variant.id, { expiresAt, source: 'subscription' });
    const res = await tenant.request('GET', customersUrl(variant.id));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      data: [
        {
          id: customer.id,
          uuid: expect.stringMatching(UUID),
          name: 'Siti Aminah',
          email: 'siti@example.test',
          phone: '0812',
          status: 'active',
          confirmed_at: null,
          created_at: expect.stringMatching(ISO),
          last_updated_at: expect.stringMatching(ISO),
          access: {
            granted_at: expect.stringMatching(ISO),
            expires_at: expiresAt.toISOString(),
            source: 'subscription',
          },
        },
      ],
      is_paginated: true,
      has_next: false,
      has_previous: false,
      next_cursor: null,
      previous_cursor: null,
      page_size: 25,
    });
    expect(res.json().data[0].uuid).toBe(customer.uuid);
  });

  it('leaves out expired accesses, other variants and other businesses', async () => {
    const tenant = await createTenant('Pelanggan');
    const variant = await courseVariant(tenant);
    const otherVariant = await courseVariant(tenant);
    const current = await insertCustomer(tenant);
    await grantAccess(tenant, current.id, variant.id, { expiresAt: new Date(Date.now() + 60_000) });
    const expired = await insertCustomer(tenant);
    await grantAccess(tenant, expired.id, variant.id, { expiresAt: new Date(Date.now() - 1000) });
    const elsewhere = await insertCustomer(tenant);
    await grantAccess(tenant, elsewhere.id, otherVariant.id);
    const res = await tenant.request('GET', customersUrl(variant.id));
    expect(ids(res)).toEqual([current.id]);
  });

  it('works for any item type and accepts the unique_id and uuid', async () => {
    const tenant = await createTenant('Pelanggan');
    const variant = await courseVariant(tenant, 'digital');
    const customer = await insertCustomer(tenant);
    await grantAccess(tenant, customer.id, variant.id);
    for (const id of [variant.id, variant.unique_id, variant.uuid]) {
      expect(ids(await tenant.request('GET', customersUrl(id)))).toEqual([customer.id]);
    }
  });

  it('pages forwards and backwards by customer id descending', async () => {
    const tenant = await createTenant('Pelanggan');
    const { variant, customerIds } = await variantWithCustomers(tenant, 5);
    const get = (query: Record<string, string | number>) =>
      tenant.request('GET', customersUrl(variant.id), { query });
    const all = await get({});
    expect(ids(all)).toEqual(customerIds);

    const first = await get({ page_size: 2 });
    expect(first.json()).toMatchObject({
      has_next: true,
      has_previous: false,
      previous_cursor: null,
      page_size: 2,
    });
    const second = await get({ page_size: 2, next_cursor: first.json().next_cursor });
    expect(second.json()).toMatchObject({ has_next: true, has_previous: true });
    const third = await get({ page_size: 2, next_cursor: second.json().next_cursor });
    expect(third.json()).toMatchObject({ has_next: false, has_previous: true, next_cursor: null });
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(customerIds);

    const back = await get({ page_size: 2, previous_cursor: third.json().previous_cursor });
    expect(ids(back)).toEqual(ids(second));
    const backToFirst = await get({ page_size: 2, previous_cursor: back.json().previous_cursor });
    expect(ids(backToFirst)).toEqual(ids(first));
    expect(backToFirst.json()).toMatchObject({ has_previous: false, previous_cursor: null });
  });

  it('filters by search on name, email and phone, binding cursors to the search', async () => {
    const tenant = await createTenant('Pelanggan');
    const variant = await courseVariant(tenant);
    const budi = await insertCustomer(tenant, { name: 'Budi Santoso', email: 'budi@mail.test' });
    const ani = await insertCustomer(tenant, { name: 'Ani', email: 'ani@kantor.test', phone: '081299' });
    const percent = await insertCustomer(tenant, { name: 'Diskon 50% Club' });
    for (const c of [budi, ani, percent]) await grantAccess(tenant, c.id, variant.id);
    const search = async (value: string) =>
      ids(await tenant.request('GET', customersUrl(variant.id), { query: { search: value } }));
    expect(await search('SANTOSO')).toEqual([budi.id]);
    expect(await search('kantor')).toEqual([ani.id]);
    expect(await search('1299')).toEqual([ani.id]);
    expect(await search('50%')).toEqual([percent.id]);
    expect(await search('%')).toEqual([percent.id]);
    expect(await search('   ')).toEqual([percent.id, ani.id, budi.id]);

    const page = await tenant.request('GET', customersUrl(variant.id), {
      query: { search: 'a', page_size: 1 },
    });
    const replayed = await tenant.request('GET', customersUrl(variant.id), {
      query: { search: 'b', next_cursor: page.json().next_cursor },
    });
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json().error_code).toBe('invalid_cursor');
  });

  it('bounds page_size and search', async () => {
    const tenant = await createTenant('Pelanggan');
    const variant = await courseVariant(tenant);
    const get = (query: Record<string, string | number>) =>
      tenant.request('GET', customersUrl(variant.id), { query });
    expectInvalid(await get({ page_size: 0 }), 'page_size');
    expectInvalid(await get({ page_size: 26 }), 'page_size');
    expectInvalid(await get({ page_size: 'many' }), 'page_size');
    expectInvalid(await get({ search: 'x'.repeat(201) }), 'search');
    expect((await get({ page_size: 25 })).statusCode).toBe(200);
  });

  it('answers 404 for another business’s variant and 403 without product:read', async () => {
    const tenant = await createTenant('Pelanggan');
    const other = await createTenant('Pelanggan Lain');
    const { variant: theirs } = await variantWithCustomers(other, 1);
    expectNotFound(await tenant.request('GET', customersUrl(theirs.id)));
    expectNotFound(await tenant.request('GET', customersUrl(theirs.uuid)));
    expectNotFound(await tenant.request('GET', customersUrl('0')));
    const key = await other.restrictedKey(['customer:list']);
    expectInsufficientScope(await other.request('GET', customersUrl(theirs.id), { key }));
  });
});
