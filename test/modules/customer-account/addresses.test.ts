import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ADDRESSES } from '../../../src/modules/customers/addresses.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { BANDUNG, locationObject, type SignedInCustomer, signedInCustomer } from './fixtures.ts';

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant('Alamat Saya');
  other = await createTenant('Toko Lain');
});

const home = { address: 'Jl. Braga 10', location_id: BANDUNG, postal_code: '40111' };

async function add(customer: SignedInCustomer, body: Record<string, unknown>) {
  const response = await customer.request('POST', '/addresses', { body });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('customer me addresses', () => {
  it('creates, lists, gets, updates and deletes the signed-in customer addresses', async () => {
    const customer = await signedInCustomer(tenant);
    const created = await add(customer, {
      ...home,
      name: 'Rumah',
      phone: '0812 1111',
      email: 'me@example.test',
    });
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Rumah',
      phone: '0812 1111',
      email: 'me@example.test',
      location: await locationObject(tenant.ctx, BANDUNG),
      address: 'Jl. Braga 10',
      postal_code: '40111',
      notes: null,
      is_default: true,
    });
    const office = await add(customer, { ...home, name: 'Kantor', location_id: String(BANDUNG) });
    expect(office.is_default).toBe(false);

    const list = await customer.request('GET', '/addresses');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ is_paginated: true, has_next: false, page_size: 25 });
    expect(list.json().data.map((a: { id: number }) => a.id)).toEqual([created.id, office.id]);

    expect((await customer.request('GET', `/addresses/${office.id}`)).json()).toEqual(office);

    const updated = await customer.request('PATCH', `/addresses/${office.id}`, {
      body: { notes: 'lobby', is_default: true },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toEqual({ ...office, notes: 'lobby', is_default: true });
    expect((await customer.request('GET', `/addresses/${created.id}`)).json().is_default).toBe(false);

    const deleted = await customer.request('DELETE', `/addresses/${office.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await customer.request('GET', `/addresses/${office.id}`)).statusCode).toBe(404);
    // The only address left took over as the default.
    expect((await customer.request('GET', `/addresses/${created.id}`)).json().is_default).toBe(true);
  });

  it("never shows or changes another customer's address (404)", async () => {
    const owner = await signedInCustomer(tenant, 'Owner');
    const intruder = await signedInCustomer(tenant, 'Intruder');
    const stranger = await signedInCustomer(other, 'Stranger');
    const address = await add(owner, home);
    for (const customer of [intruder, stranger]) {
      expect((await customer.request('GET', `/addresses/${address.id}`)).statusCode).toBe(404);
      expect(
        (await customer.request('PATCH', `/addresses/${address.id}`, { body: { name: 'x' } })).statusCode,
      ).toBe(404);
      expect((await customer.request('DELETE', `/addresses/${address.id}`)).statusCode).toBe(404);
      expect((await customer.request('GET', '/addresses')).json().data).toEqual([]);
    }
    expect((await owner.request('GET', `/addresses/${address.id}`)).json()).toEqual(address);
    expect((await owner.request('GET', '/addresses/abc')).statusCode).toBe(404);
  });

  it('validates addresses (422) and caps how many a customer keeps', async () => {
    const customer = await signedInCustomer(tenant);
    const missing = await customer.request('POST', '/addresses', { body: { name: 'No place' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual({ address: ["can't be blank"], location_id: ["can't be blank"] });
    const wrongType = await customer.request('POST', '/addresses', { body: { ...home, location_id: 1.5 } });
    expect(wrongType.statusCode).toBe(422);

    const db = tenant.ctx.database.db;
    await db
      .insertInto('customer_addresses')
      .values(
        Array.from({ length: MAX_ADDRESSES }, (_, i) => ({
          business_id: tenant.business.id,
          customer_id: customer.id,
          address: `Gang ${i}`,
          location_id: BANDUNG,
          is_default: i === 0,
        })),
      )
      .execute();
    const full = await customer.request('POST', '/addresses', { body: home });
    expect(full.statusCode).toBe(422);
    expect(Object.keys(full.json().errors)).toEqual(['address']);
  });

  it('answers 401 without a token or with a token of another store', async () => {
    const customer = await signedInCustomer(tenant);
    const address = await add(customer, home);
    const otherStoreToken = (await signedInCustomer(other)).token;
    for (const token of ['', 'garbage', otherStoreToken]) {
      const headers: Record<string, string> = token ? {} : { authorization: '' };
      for (const [method, path] of [
        ['GET', '/addresses'],
        ['POST', '/addresses'],
        ['GET', `/addresses/${address.id}`],
        ['PATCH', `/addresses/${address.id}`],
        ['DELETE', `/addresses/${address.id}`],
      ] as const) {
        const response = await customer.request(method, path, {
          token,
          headers,
          body: method === 'POST' || method === 'PATCH' ? home : undefined,
        });
        expect(response.statusCode, `${method} ${path}`).toBe(401);
      }
    }
    expect((await customer.request('GET', `/addresses/${address.id}`)).statusCode).toBe(200);
  });
});
