import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { BANDUNG, locationObject } from '../customer-account/fixtures.ts';

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant('Alamat');
  other = await createTenant('Alamat Lain');
});

async function newCustomer(owner: Tenant, name = 'Address Owner'): Promise<number> {
  const response = await owner.request('POST', '/v3/customers', { body: { name } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().id;
}

async function addAddress(customerId: number, body: Record<string, unknown>) {
  const response = await tenant.request('POST', `/v3/customers/${customerId}/addresses`, { body });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const home = { address: 'Jl. Merdeka 1', location_id: BANDUNG };

describe('business customer addresses', () => {
  it('creates the CustomerAddress object; the first address becomes the default', async () => {
    const customerId = await newCustomer(tenant);
    const response = await tenant.request('POST', `/v3/customers/${customerId}/addresses`, {
      body: {
        name: ' Rumah ',
        phone: '0812 3333 4444',
        email: 'RUMAH@Example.test',
        location_id: String(BANDUNG),
        address: ' Jl. Asia Afrika 8 ',
        postal_code: '40111',
        notes: 'pagar hijau',
        extra: 'ignored',
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      id: expect.any(Number),
      name: 'Rumah',
      phone: '0812 3333 4444',
      email: 'rumah@example.test',
      location: await locationObject(tenant.ctx, BANDUNG),
      address: 'Jl. Asia Afrika 8',
      postal_code: '40111',
      notes: 'pagar hijau',
      is_default: true,
    });
  });

  it('keeps exactly one default: is_default moves it, deleting it promotes the newest', async () => {
    const customerId = await newCustomer(tenant);
    const base = `/v3/customers/${customerId}/addresses`;
    const first = await addAddress(customerId, { ...home, name: 'first' });
    const second = await addAddress(customerId, { ...home, name: 'second' });
    expect(second.is_default).toBe(false);
    const third = await addAddress(customerId, { ...home, name: 'third', is_default: true });
    expect(third.is_default).toBe(true);
    expect((await tenant.request('GET', `${base}/${first.id}`)).json().is_default).toBe(false);

    const list = await tenant.request('GET', base);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ is_paginated: true, has_next: false, has_previous: false });
    expect(list.json().data.map((a: { name: string }) => a.name)).toEqual(['third', 'second', 'first']);

    const moved = await tenant.request('PATCH', `${base}/${first.id}`, { body: { is_default: true } });
    expect(moved.json().is_default).toBe(true);
    const names = (await tenant.request('GET', base)).json().data.map((a: { name: string }) => a.name);
    expect(names).toEqual(['first', 'third', 'second']);

    const unset = await tenant.request('PATCH', `${base}/${first.id}`, { body: { is_default: false } });
    expect(unset.statusCode).toBe(422);
    expect(Object.keys(unset.json().errors)).toEqual(['is_default']);

    expect((await tenant.request('DELETE', `${base}/${first.id}`)).statusCode).toBe(204);
    expect((await tenant.request('GET', `${base}/${first.id}`)).statusCode).toBe(404);
    const after = (await tenant.request('GET', base)).json().data;
    expect(after.map((a: { name: string; is_default: boolean }) => [a.name, a.is_default])).toEqual([
      ['third', true],
      ['second', false],
    ]);
    // Deleting a non-default address leaves the default alone.
    expect((await tenant.request('DELETE', `${base}/${second.id}`)).statusCode).toBe(204);
    expect((await tenant.request('GET', `${base}/${third.id}`)).json().is_default).toBe(true);
  });

  it('pages the list by cursor', async () => {
    const customerId = await newCustomer(tenant);
    for (const name of ['a', 'b', 'c']) await addAddress(customerId, { ...home, name });
    const base = `/v3/customers/${customerId}/addresses`;
    const page1 = (await tenant.request('GET', base, { query: { page_size: 2 } })).json();
    expect(page1.data.map((a: { name: string }) => a.name)).toEqual(['a', 'c']);
    const page2 = (
      await tenant.request('GET', base, { query: { page_size: 2, next_cursor: page1.next_cursor } })
    ).json();
    expect(page2.data.map((a: { name: string }) => a.name)).toEqual(['b']);
    expect(page2.has_next).toBe(false);
  });

  it('updates only the fields sent', async () => {
    const customerId = await newCustomer(tenant);
    const created = await addAddress(customerId, { ...home, name: 'Kantor', notes: 'lantai 2' });
    const response = await tenant.request('PATCH', `/v3/customers/${customerId}/addresses/${created.id}`, {
      body: { notes: null, postal_code: '40112' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ ...created, notes: null, postal_code: '40112' });
  });

  it('answers 422 for a missing address or location, unknown locations and bad contacts', async () => {
    const customerId = await newCustomer(tenant);
    const base = `/v3/customers/${customerId}/addresses`;
    const empty = await tenant.request('POST', base, { body: {} });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual({ address: ["can't be blank"], location_id: ["can't be blank"] });
    const bad = await tenant.request('POST', base, {
      body: { address: 'x', location_id: 'abc', phone: 'nope', email: 'nope' },
    });
    expect(bad.json().errors).toEqual({
      location_id: ['is not a known location'],
      phone: ['is not a phone number'],
      email: ['must be a valid email'],
    });
    const unknown = await tenant.request('POST', base, {
      body: { address: 'x', location_id: 99_999_999_999 },
    });
    expect(unknown.json().errors).toEqual({ location_id: ['is not a known location'] });
    const created = await addAddress(customerId, home);
    const blank = await tenant.request('PATCH', `${base}/${created.id}`, {
      body: { address: ' ', location_id: null },
    });
    expect(blank.statusCode).toBe(422);
    expect(blank.json().errors).toEqual({ address: ["can't be blank"], location_id: ["can't be blank"] });
  });

  it("hides another business's customer and another customer's address (404)", async () => {
    const customerId = await newCustomer(tenant);
    const created = await addAddress(customerId, home);
    const otherCustomer = await newCustomer(tenant, 'Someone Else');
    const foreignBase = `/v3/customers/${customerId}/addresses`;
    expect((await other.request('GET', foreignBase)).statusCode).toBe(404);
    expect((await other.request('POST', foreignBase, { body: home })).statusCode).toBe(404);
    expect((await other.request('GET', `${foreignBase}/${created.id}`)).statusCode).toBe(404);
    expect(
      (await other.request('PATCH', `${foreignBase}/${created.id}`, { body: { name: 'x' } })).statusCode,
    ).toBe(404);
    expect((await other.request('DELETE', `${foreignBase}/${created.id}`)).statusCode).toBe(404);
    // The address exists, but not under this customer.
    const wrongOwner = `/v3/customers/${otherCustomer}/addresses/${created.id}`;
    expect((await tenant.request('GET', wrongOwner)).statusCode).toBe(404);
    expect((await tenant.request('PATCH', wrongOwner, { body: { name: 'x' } })).statusCode).toBe(404);
    expect((await tenant.request('DELETE', wrongOwner)).statusCode).toBe(404);
    expect((await tenant.request('GET', `${foreignBase}/${created.id}`)).json().name).toBeNull();
    expect((await tenant.request('GET', `${foreignBase}/not-a-number`)).statusCode).toBe(404);
  });

  it('needs customer:list to list, customer:read to get and customer:update to change', async () => {
    const customerId = await newCustomer(tenant);
    const created = await addAddress(customerId, home);
    const base = `/v3/customers/${customerId}/addresses`;
    const readOnly = await tenant.restrictedKey(['customer:read']);
    const listOnly = await tenant.restrictedKey(['customer:list']);
    expect((await tenant.request('GET', base, { key: readOnly })).statusCode).toBe(403);
    expect((await tenant.request('GET', base, { key: listOnly })).statusCode).toBe(200);
    expect((await tenant.request('GET', `${base}/${created.id}`, { key: listOnly })).statusCode).toBe(403);
    expect((await tenant.request('GET', `${base}/${created.id}`, { key: readOnly })).statusCode).toBe(200);
    for (const [method, url, body] of [
      ['POST', base, home],
      ['PATCH', `${base}/${created.id}`, { name: 'x' }],
      ['DELETE', `${base}/${created.id}`, undefined],
    ] as const) {
      const response = await tenant.request(method, url, { key: readOnly, body });
      expect(response.statusCode).toBe(403);
      expect(response.json().error_code).toBe('insufficient_scope');
    }
  });
});
